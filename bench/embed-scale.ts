// `embed` at scale (`npm run bench -- embed-scale`; issue 12.4): a folder of generated images
// (EMBED_SCALE_IMAGES, default 100,000; small unique JPEGs made with sharp, 1,000 per subfolder) is
// imported into a fresh project and embedded with MobileNet (the shared weights) through the same
// Project.embed the CLI runs, twice:
//   1. cancelled at half way (as Ctrl-C does): the batches written before the cancel stay;
//   2. run again: it must compute exactly the rest (none twice) and leave every image with features.
// Meanwhile the process RSS is sampled every 0.5 s against images done: memory is flat when the RSS at
// the end is no higher than at a quarter (beyond noise), whatever the count. The progress reports pass
// through the reporter the CLI bar and the app's job bar use (jobs/progress.ts): its images/s and ETA
// are printed at each tenth.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { rateEstimator } from '../src/main/jobs/progress.js';
import { Project } from '../src/main/project/project.js';
import { sharedModelsDir } from '../test/helpers/shared.js';

const BACKBONE = 'mobilenet_v1_0.75_224';
const mb = (b: number): number => b / 2 ** 20;

/** `n` distinct 64×64 JPEGs: a colour gradient whose hues follow the index. */
async function makeImages(dir: string, n: number): Promise<void> {
  const size = 64;
  for (let start = 0; start < n; start += 1000) {
    const sub = join(dir, `d${String(start / 1000).padStart(3, '0')}`);
    mkdirSync(sub, { recursive: true });
    const jobs: Promise<unknown>[] = [];
    for (let i = start; i < Math.min(n, start + 1000); i++) {
      const px = Buffer.alloc(size * size * 3);
      for (let p = 0; p < size * size; p++) {
        px[p * 3] = (i * 37 + p) & 255;
        px[p * 3 + 1] = ((i >> 8) * 53 + (p >> 6) * 4) & 255;
        // (i >> 16) too: with only i's low two bytes, 100,000 files held 65,536 distinct images.
        px[p * 3 + 2] = (i * 11 + (i >> 16) * 97 + (p & 63) * 4) & 255;
      }
      jobs.push(sharp(px, { raw: { width: size, height: size, channels: 3 } }).jpeg({ quality: 85 }).toFile(join(sub, `img-${i}.jpg`)));
    }
    await Promise.all(jobs);
  }
}

interface Sample {
  done: number;
  rss: number;
}

/** Embeds with RSS sampling and progress lines; `stopAt` (a fraction) cancels there. */
async function embedRun(project: Project, label: string, stopAt?: number): Promise<{ samples: Sample[]; seconds: number; computed?: number; cached?: number; cancelled: boolean }> {
  const samples: Sample[] = [];
  let done = 0;
  let total = 0;
  const timer = setInterval(() => samples.push({ done, rss: process.memoryUsage().rss }), 500);
  const controller = new AbortController();
  const estimate = rateEstimator();
  let nextTenth = 1;
  const t0 = performance.now();
  try {
    const r = await project.embed(BACKBONE, {
      signal: controller.signal,
      onProgress: (p) => {
        done = p.done;
        total = p.total;
        const { rate, eta } = estimate(p.phase, p.done, p.total);
        if (total && p.done >= (nextTenth * total) / 10) {
          nextTenth++;
          console.log(`  ${label}: ${p.done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')}  ${rate?.toFixed(1) ?? '…'} images/s  ETA ${eta === undefined ? '…' : `${eta.toFixed(0)} s`}  RSS ${mb(process.memoryUsage().rss).toFixed(0)} MB  load ${loadavg()[0].toFixed(1)}`);
        }
        if (stopAt !== undefined && total && p.done >= stopAt * total) controller.abort();
      },
    });
    return { samples, seconds: (performance.now() - t0) / 1000, computed: r.computed, cached: r.cached, cancelled: false };
  } catch (err) {
    if (!controller.signal.aborted) throw err;
    return { samples, seconds: (performance.now() - t0) / 1000, cancelled: true };
  } finally {
    clearInterval(timer);
  }
}

/** RSS (MB) of the last sample at or before each fraction of `total` done. */
function rssAt(samples: Sample[], total: number, fractions: number[]): number[] {
  return fractions.map((f) => mb([...samples].reverse().find((s) => s.done <= f * total)?.rss ?? samples[0]?.rss ?? 0));
}

export async function runEmbedScaleBench(): Promise<void> {
  const n = Number(process.env.EMBED_SCALE_IMAGES) || 100_000;
  const work = mkdtempSync(join(tmpdir(), 'ts-bench-embed-scale-'));
  const saved = { b: process.env.TRIPLET_STUDIO_BACKBONES, d: process.env.TRIPLET_STUDIO_DATA };
  process.env.TRIPLET_STUDIO_BACKBONES = sharedModelsDir();
  process.env.TRIPLET_STUDIO_DATA = join(work, 'data');
  try {
    let t = performance.now();
    await makeImages(join(work, 'images'), n);
    console.log(`${n.toLocaleString('en-US')} images generated in ${((performance.now() - t) / 1000).toFixed(0)} s`);
    const project = Project.init(join(work, 'p'));
    t = performance.now();
    const imported = await project.importImages(join(work, 'images'));
    console.log(`imported ${imported.added} in ${((performance.now() - t) / 1000).toFixed(0)} s`);
    if (imported.added !== n) throw new Error(`expected ${n} distinct images, imported ${imported.added} (${imported.duplicates.length} duplicates)`);
    const count = () => project.db.prepare('SELECT COUNT(*) FROM feature_cache WHERE backbone = ?').pluck().get(BACKBONE) as number;

    const first = await embedRun(project, 'run 1 (cancelled at 50%)', 0.5);
    const kept = count();
    const second = await embedRun(project, 'run 2 (resumes)');
    const all = count();
    const samples = [...first.samples, ...second.samples.map((s) => ({ ...s, done: s.done + kept }))];
    const [q1, half, q3, end] = rssAt(samples, n, [0.25, 0.5, 0.75, 1]);
    console.log('\nembed at scale (MobileNet, shared weights, generated 64×64 JPEGs):');
    console.log(`  images ${n.toLocaleString('en-US')}; run 1 cancelled=${first.cancelled} after ${first.seconds.toFixed(0)} s with ${kept.toLocaleString('en-US')} features kept`);
    console.log(`  run 2: computed ${second.computed} + cached ${second.cached} = ${(second.computed ?? 0) + (second.cached ?? 0)} (expected computed ${n - kept}: ${second.computed === n - kept ? 'none twice' : 'MISMATCH'}); store has ${all} (expected ${n})`);
    console.log(`  images/s over both runs: ${(n / (first.seconds + second.seconds)).toFixed(1)}`);
    console.log(`  RSS at 25% / 50% / 75% / 100% of the images: ${[q1, half, q3, end].map((x) => x.toFixed(0)).join(' / ')} MB (growth from 25% to 100%: ${(end - q1).toFixed(0)} MB; peak ${mb(Math.max(...samples.map((s) => s.rss))).toFixed(0)} MB)`);
    console.log(`  load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
    project.close();
  } finally {
    rmSync(work, { recursive: true, force: true });
    for (const [k, v] of [['TRIPLET_STUDIO_BACKBONES', saved.b], ['TRIPLET_STUDIO_DATA', saved.d]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runEmbedScaleBench();
