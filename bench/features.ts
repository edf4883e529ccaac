// Feature extraction speed per backbone × engine, end to end through extractFeatures (worker start,
// model load, JPEG decode, inference) on real flower photos, plus the engine alone on a ready batch,
// as a fraction of the machine's estimated peak FP32 rate.
// ResNet50 runs with seeded random weights (the ImageNet file is not available offline): compute time
// does not depend on weight values. Targets: ResNet50 ≥ 4 images/s, MobileNet 0.75 ≥ 30 images/s.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BACKBONES } from '../src/main/ml/backbone/registry.js';
import { extractFeatures } from '../src/main/ml/features/extract.js';
import { createOnnxEngine, ensureOnnxModel, loadOrt } from '../src/main/ml/features/onnx-engine.js';
import { writeResNet50Folder } from '../src/main/ml/convert/resnet50-h5.js';
import { seededResNet50Weights } from '../test/fixtures/resnet50/seeded.js';
import { flowersDir, sharedModelsDir } from '../test/helpers/shared.js';

/** Multiply-accumulates per 224² image (published figures), ×2 for FLOPs. */
const GFLOP_PER_IMAGE: Record<string, number> = { resnet50: 2 * 3.86, 'mobilenet_v1_0.75_224': 2 * 0.325 };

export interface PeakEstimate {
  cores: number;
  ghz: number;
  flopsPerCycle: number;
  gflops: number;
  assumptions: string;
}

/** cores × GHz × FP32 FLOPs/cycle/core from the SIMD flags (two FMA units per core assumed). */
export function estimatePeak(): PeakEstimate {
  let text = '';
  try {
    text = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    /* not Linux */
  }
  const flags = new Set((/^flags\s*:\s*(.*)$/m.exec(text)?.[1] ?? '').split(/\s+/));
  const mhz = Number(/^cpu MHz\s*:\s*([\d.]+)/m.exec(text)?.[1] ?? 0) || 2000;
  const cores = availableParallelism();
  let fpc = 8;
  let simd = 'SSE (4 lanes × 2 units, no FMA)';
  if (flags.has('avx512f') && flags.has('fma')) [fpc, simd] = [64, 'AVX-512 FMA: 16 lanes × 2 FLOPs × 2 units'];
  else if (flags.has('avx2') && flags.has('fma')) [fpc, simd] = [32, 'AVX2 FMA: 8 lanes × 2 FLOPs × 2 units'];
  else if (flags.has('avx')) [fpc, simd] = [16, 'AVX: 8 lanes × 2 units'];
  const ghz = mhz / 1000;
  return {
    cores,
    ghz,
    flopsPerCycle: fpc,
    gflops: cores * ghz * fpc,
    assumptions:
      `${cores} cores × ${ghz.toFixed(2)} GHz (cpuinfo "cpu MHz", no turbo) × ${fpc} FP32 FLOPs/cycle (${simd}); ` +
      'ResNet50 7.72 GFLOP/image (2×3.86 GMAC), MobileNet v1 0.75 0.65 GFLOP/image (2×0.325 GMAC); ' +
      'preprocessing/decoding FLOPs not counted. A VM vCPU may be a hyperthread, which halves the real peak.',
  };
}

interface Row {
  backbone: string;
  engine: string;
  workers: number;
  threads: string;
  images: number;
  seconds: number;
  perSecond: number;
  /** CPU seconds of the whole process (all threads) per image: robust to other load on the machine. */
  cpuPerImage: number;
}

export function photos(n: number): { id: number; path: string }[] {
  const root = join(flowersDir(), 'images');
  const all: string[] = [];
  for (const cls of readdirSync(root).sort()) for (const f of readdirSync(join(root, cls)).sort()) all.push(join(root, cls, f));
  // Interleave classes so any prefix is a mix of image sizes.
  return all
    .map((p, i) => ({ p, k: (i * 7919) % all.length }))
    .sort((a, b) => a.k - b.k)
    .slice(0, n)
    .map((x, i) => ({ id: i + 1, path: x.p }));
}

/** A backbones folder: the shared MobileNet (shards symlinked, nothing written to shared data) and a seeded ResNet50. */
export function setup(): string {
  const root = mkdtempSync(join(tmpdir(), 'ts-bench-features-'));
  const mid = 'mobilenet_v1_0.75_224';
  mkdirSync(join(root, mid));
  const src = join(sharedModelsDir(), mid);
  for (const f of readdirSync(src)) {
    if (f === 'model.json') copyFileSync(join(src, f), join(root, mid, f));
    else symlinkSync(join(src, f), join(root, mid, f));
  }
  mkdirSync(join(root, 'resnet50'));
  writeResNet50Folder(
    seededResNet50Weights(1).flatMap((l) => l.weights),
    join(root, 'resnet50'),
    { source: { source: 'seeded random weights (benchmark)' } },
  );
  return root;
}

async function timeExtract(backbone: string, images: { id: number; path: string }[], engine: 'tfjs' | 'onnx', workers: number, threads?: number): Promise<Row> {
  const envEngine = process.env.TRIPLET_STUDIO_ENGINE;
  const envThreads = process.env.TRIPLET_STUDIO_ORT_THREADS;
  if (engine === 'tfjs') process.env.TRIPLET_STUDIO_ENGINE = 'tfjs';
  else delete process.env.TRIPLET_STUDIO_ENGINE;
  if (threads) process.env.TRIPLET_STUDIO_ORT_THREADS = String(threads);
  else delete process.env.TRIPLET_STUDIO_ORT_THREADS;
  try {
    let n = 0;
    const cpu0 = process.cpuUsage();
    const r = await extractFeatures({ backbone, images, workers, batchSize: 8, engine: engine === 'tfjs' ? 'tfjs-wasm' : 'onnxruntime-cpu', onBatch: (rows) => void (n += rows.length) });
    const cpu = process.cpuUsage(cpu0);
    if (n !== images.length) throw new Error(`${backbone}: ${n} of ${images.length} images extracted`);
    return {
      backbone,
      engine: r.engine,
      workers,
      threads: engine === 'onnx' ? String(threads ?? 1) : '1 (wasm)',
      images: n,
      seconds: r.seconds,
      perSecond: n / r.seconds,
      cpuPerImage: (cpu.user + cpu.system) / 1e6 / n,
    };
  } finally {
    if (envEngine === undefined) delete process.env.TRIPLET_STUDIO_ENGINE;
    else process.env.TRIPLET_STUDIO_ENGINE = envEngine;
    if (envThreads === undefined) delete process.env.TRIPLET_STUDIO_ORT_THREADS;
    else process.env.TRIPLET_STUDIO_ORT_THREADS = envThreads;
  }
}

/** The ONNX session alone on a ready, preprocessed batch (no decode, no start-up). */
async function engineOnly(backbone: string, dir: string, threads: number, batch: number, reps: number): Promise<number> {
  const spec = BACKBONES[backbone];
  const engine = await createOnnxEngine(spec, dir, threads);
  const x = new Float32Array(batch * spec.inputSize * spec.inputSize * 3).map((_, i) => Math.sin(i) * 50);
  await engine.run(x, batch);
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) await engine.run(x, batch);
  const s = (performance.now() - t0) / 1000;
  engine.dispose?.();
  return (batch * reps) / s;
}

export async function runFeaturesBench(): Promise<{ rows: Row[]; peak: PeakEstimate }> {
  const saved = process.env.TRIPLET_STUDIO_BACKBONES;
  const root = setup();
  process.env.TRIPLET_STUDIO_BACKBONES = root;
  const peak = estimatePeak();
  const rows: Row[] = [];
  let ort = true;
  try {
    await loadOrt();
  } catch (err) {
    ort = false;
    console.log(`onnxruntime-node unavailable (${(err as Error).message}): tfjs rows only`);
  }
  try {
    const sixty = photos(60);
    // tfjs ResNet50 is ~0.7 s/image/thread: 12 images are enough to measure it.
    const plan: Array<[string, number, 'tfjs' | 'onnx', number, number?]> = [
      ['mobilenet_v1_0.75_224', 60, 'tfjs', 1],
      ['mobilenet_v1_0.75_224', 60, 'tfjs', 2],
      ['resnet50', 12, 'tfjs', 1],
      ['resnet50', 12, 'tfjs', 2],
    ];
    if (ort) {
      // Build the cached ONNX models first (as fetch-backbone does at install time).
      for (const id of ['mobilenet_v1_0.75_224', 'resnet50']) await ensureOnnxModel(join(root, id), BACKBONES[id].featureLayer);
      plan.push(
        ['mobilenet_v1_0.75_224', 60, 'onnx', 1, 2],
        ['mobilenet_v1_0.75_224', 60, 'onnx', 2, 1],
        ['resnet50', 60, 'onnx', 1, 2],
        ['resnet50', 60, 'onnx', 2, 1],
      );
    }
    for (const [id, n, engine, workers, threads] of plan) {
      const row = await timeExtract(id, sixty.slice(0, n), engine, workers, threads);
      rows.push(row);
      console.log(`  ${row.backbone.padEnd(22)} ${row.engine.padEnd(22)} workers ${row.workers} threads ${row.threads.padEnd(9)} ${row.images} images ${row.seconds.toFixed(2)} s  ${row.perSecond.toFixed(2)} images/s`);
    }
    console.log('\nEnd to end (extractFeatures: worker start-up, model load, JPEG decode + resize, inference):');
    console.log('backbone                engine                  workers  threads    images/s  GFLOP/s  % of peak  CPU s/image  images/s if the cores were idle');
    for (const r of rows) {
      const gf = r.perSecond * GFLOP_PER_IMAGE[r.backbone];
      const idle = Math.min(r.workers * Number.parseInt(r.threads, 10), peak.cores) / r.cpuPerImage;
      console.log(
        `${r.backbone.padEnd(24)}${r.engine.padEnd(24)}${String(r.workers).padEnd(9)}${r.threads.padEnd(11)}${r.perSecond.toFixed(2).padStart(8)}  ${gf.toFixed(1).padStart(7)}  ${((100 * gf) / peak.gflops).toFixed(1).padStart(8)}%  ${r.cpuPerImage.toFixed(3).padStart(11)}  ${idle.toFixed(1).padStart(6)}`,
      );
    }
    console.log(`(load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${peak.cores} cores; the last column divides the cores used by the CPU time per image)`);
    if (ort) {
      console.log('\nEngine only (onnxruntime, 1 session, batch 8, preprocessed input, warm):');
      for (const id of ['mobilenet_v1_0.75_224', 'resnet50']) {
        const ips = await engineOnly(id, join(root, id), availableParallelism(), 8, id === 'resnet50' ? 3 : 10);
        const gf = ips * GFLOP_PER_IMAGE[id];
        console.log(`  ${id.padEnd(24)} ${ips.toFixed(2)} images/s  ${gf.toFixed(1)} GFLOP/s  ${((100 * gf) / peak.gflops).toFixed(1)}% of peak`);
      }
    }
    console.log(`\nPeak estimate: ${peak.gflops.toFixed(0)} GFLOP/s. Assumptions: ${peak.assumptions}`);
    console.log('ResNet50 rows use seeded random weights (speed does not depend on weight values).');
    return { rows, peak };
  } finally {
    rmSync(root, { recursive: true, force: true });
    if (saved === undefined) delete process.env.TRIPLET_STUDIO_BACKBONES;
    else process.env.TRIPLET_STUDIO_BACKBONES = saved;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runFeaturesBench();
}
