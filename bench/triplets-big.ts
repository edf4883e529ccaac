// Big triplet files through browser mode (`npm run bench -- triplets-big`). Files are generated at run
// time in os.tmpdir() and deleted afterwards. Targets (issue 11):
//   1. 5M lines (long names, so the file is over 600 MB: no V8 string-length error) import in
//      bounded memory: peak RSS of the whole process (server + import worker) ≤ 300 MB;
//   2. meanwhile the server stays responsive: projectInfo round trips p95 < 50 ms;
//   3. 1M invalid lines give a capped report (not `Reply could not be encoded`), and the CLI's
//      stderr and --json stay small.
// TRIPLETS_BIG_LINES overrides the 5M (for a quick look).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../src/main/server/index.js';
import { openDb } from '../src/main/store/db.js';
import type { TripletImportReport } from '../src/shared/types.js';
import { repoRoot } from '../test/helpers/shared.js';
import { Client, sample, summarize } from './ipc.js';

const LINES = Number(process.env.TRIPLETS_BIG_LINES ?? 5_000_000);
const INVALID_LINES = 1_000_000;
const IMAGES = 10_000;
const TARGET_RSS_MB = 300;
const TARGET_P95_MS = 50;
const MB = 1024 * 1024;

/** Long-ish names (~40 bytes), so 5M lines make a file over 600 MB. */
const imageName = (i: number) => `class-${String(i % 50).padStart(2, '0')}/photo-${String(i).padStart(6, '0')}-abcdefghijklmno.jpg`;

function addImages(dbFile: string): void {
  const db = openDb(dbFile);
  const ins = db.prepare(`INSERT INTO images (name, basename, folder, abs_path, sha256, width, height, bytes, mtime_ms) VALUES (?, ?, ?, ?, ?, 1, 1, 1, 0)`);
  db.transaction(() => {
    for (let i = 0; i < IMAGES; i++) {
      const name = imageName(i);
      const slash = name.indexOf('/');
      ins.run(name, name.slice(slash + 1), name.slice(0, slash), `/nowhere/${name}`, String(i));
    }
  })();
  db.close();
}

/**
 * Writes the file in a child process, so the memory its strings take is not counted in this process's
 * peak RSS (which must be the server's and the import's alone). `kind` picks the line generator.
 */
function writeLines(path: string, count: number, kind: 'good' | 'bad'): Promise<number> {
  const script = `
    const { createWriteStream } = require('node:fs');
    const [path, count, kind, images] = process.argv.slice(1);
    const name = (i) => 'class-' + String(i % 50).padStart(2, '0') + '/photo-' + String(i).padStart(6, '0') + '-abcdefghijklmno.jpg';
    // Distinct triplets, none the other way round: (a, a+1+k, a+2+k) with k = i div images.
    const good = (i) => { const a = i % images, k = Math.floor(i / images); return name(a) + ' ' + name((a + 1 + k) % images) + ' ' + name((a + 2 + k) % images) + '\\n'; };
    const bad = (i) => name(0) + ' ' + name(1) + ' missing-' + i + '.jpg\\n';
    const line = kind === 'good' ? good : bad;
    const out = createWriteStream(path);
    let i = 0;
    const more = () => { while (i < +count) { if (!out.write(line(i++))) return out.once('drain', more); } out.end(); };
    more();`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', script, path, String(count), kind, String(IMAGES)], (err) => (err ? reject(err) : resolve(statSync(path).size)));
  });
}

function cli(args: string[]): Promise<{ code: number; stdout: number; stderr: number; seconds: number }> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [join(repoRoot, 'bin', 'triplet-studio.js'), ...args], { maxBuffer: 1 << 30 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout: stdout.length, stderr: stderr.length, seconds: (performance.now() - t0) / 1000 }),
    );
  });
}

export async function runTripletsBigBench(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'ts-bench-triplets-big-'));
  const staticDir = join(tmp, 'renderer');
  mkdirSync(staticDir);
  const project = join(tmp, 'project');
  const srv = await startServer({ dataDir: join(tmp, 'data'), staticDir });
  const client = await Client.connect(srv);
  try {
    await client.call('createProject', { dir: project });
    addImages(join(project, 'project.sqlite'));
    const big = join(tmp, 'big.txt');
    let t0 = performance.now();
    const bytes = await writeLines(big, LINES, 'good');
    console.log(`generated ${LINES.toLocaleString('en-US')} lines, ${(bytes / MB).toFixed(0)} MB, in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    for (let i = 0; i < 20; i++) await sample(client);
    const idle: number[] = [];
    for (let i = 0; i < 200; i++) idle.push(await sample(client));

    // The import runs as a job in a worker; sample round trips and RSS until it replies.
    const rssBefore = process.memoryUsage.rss();
    console.log(`RSS before the import: ${(rssBefore / MB).toFixed(0)} MB (getrusage peak so far ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB)`);
    let peakRss = rssBefore;
    let done = false;
    t0 = performance.now();
    const reply = client.request('importTriplets', { file: big, split: 'train' }).finally(() => (done = true));
    const busy: number[] = [];
    while (!done) {
      busy.push(await sample(client));
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
      await new Promise((r) => setTimeout(r, 25));
    }
    const seconds = (performance.now() - t0) / 1000;
    const envelope = await reply;
    if (!envelope.ok) throw new Error(`import failed: ${envelope.error.code}: ${envelope.error.message.slice(0, 500)}`);
    const report = envelope.value as TripletImportReport;
    const maxRss = process.resourceUsage().maxRSS / 1024; // KB → MB
    const rows = [summarize('idle', idle), summarize(`during the ${LINES.toLocaleString('en-US')}-line import`, busy)];

    // 1M invalid lines: refused with a capped report over the WebSocket, then through the CLI.
    const bad = join(tmp, 'bad.txt');
    await writeLines(bad, INVALID_LINES, 'bad');
    t0 = performance.now();
    const refused = await client.request('importTriplets', { file: bad, split: 'train' });
    const refusedSeconds = (performance.now() - t0) / 1000;
    const refusedBytes = JSON.stringify(refused).length;
    const details = !refused.ok ? (refused.error.details as { report?: TripletImportReport } | undefined)?.report : undefined;
    client.close();
    await srv.close();
    const text = await cli(['import-triplets', project, bad, '--split', 'train', '--skip-invalid']);
    const json = await cli(['import-triplets', project, bad, '--split', 'train', '--json']);

    const f = (v: number) => v.toFixed(2);
    console.log(`\n${LINES.toLocaleString('en-US')}-line file (${(bytes / MB).toFixed(0)} MB): ${report.added.toLocaleString('en-US')} added in ${seconds.toFixed(1)} s (${Math.round(LINES / seconds).toLocaleString('en-US')} lines/s)`);
    console.log(`| measure | value | target |`);
    console.log(`|---|---:|---|`);
    console.log(`| peak RSS during the import (sampled) | ${(peakRss / MB).toFixed(0)} MB | ≤ ${TARGET_RSS_MB} MB: ${peakRss / MB <= TARGET_RSS_MB ? 'met' : 'MISSED'} |`);
    console.log(`| peak RSS of the process (getrusage) | ${maxRss.toFixed(0)} MB | ≤ ${TARGET_RSS_MB} MB: ${maxRss <= TARGET_RSS_MB ? 'met' : 'MISSED'} |`);
    for (const r of rows) {
      console.log(`| IPC ${r.scenario}: n ${r.n}, p50 ${f(r.p50)}, p99 ${f(r.p99)}, max ${f(r.max)} ms; p95 | ${f(r.p95)} ms | < ${TARGET_P95_MS} ms: ${r.p95 < TARGET_P95_MS ? 'met' : 'MISSED'} |`);
    }
    console.log(
      `| 1M invalid lines over the WebSocket: ${refused.ok ? 'accepted?!' : refused.error.code}, ${details?.invalid.length ?? '-'} listed of ${details?.invalidCount?.toLocaleString('en-US') ?? '-'}, ${f(refusedSeconds)} s; reply | ${(refusedBytes / 1024).toFixed(0)} KB | capped |`,
    );
    console.log(`| CLI --skip-invalid on 1M invalid lines: exit ${text.code}, ${f(text.seconds)} s; stderr | ${(text.stderr / 1024).toFixed(0)} KB | capped |`);
    console.log(`| CLI --json (refused) on 1M invalid lines: exit ${json.code}, ${f(json.seconds)} s; stdout | ${(json.stdout / 1024).toFixed(0)} KB | capped |`);
  } finally {
    client.close();
    await srv.close().catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runTripletsBigBench();
