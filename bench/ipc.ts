// IPC latency under load: round trips of a cheap request (projectInfo) over the browser-mode
// WebSocket, idle and while a real training job (feature extraction + encoder training on the
// shared flowers set) runs in the same process's StudioService. Target: p95 < 50 ms.
// Falls back to a CPU-heavy worker thread as the load when the data or a backbone is missing.
import { existsSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { WebSocket } from 'ws';
import { clientProtocols } from '../src/main/server/auth.js';
import { fileURLToPath } from 'node:url';
import { startServer, type EmitFn, type RunningServer } from '../src/main/server/index.js';
import { forkService } from '../src/main/service/fork.js';
import type { Envelope, RequestName, WsServerMessage } from '../src/shared/ipc.js';
import type { JobProgress } from '../src/shared/types.js';
import { flowersDir, sharedModelsDir, skipWithoutShared } from '../test/helpers/shared.js';

const TARGET_P95_MS = 50;
const BACKBONE = 'mobilenet_v1_0.75_224';

export interface Row {
  scenario: string;
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Minimal WebSocket client speaking the app's wire format. */
export class Client {
  private next = 1;
  private pending = new Map<number, (r: Envelope<unknown>) => void>();
  progress: JobProgress | null = null;
  finished = new Set<string>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as WsServerMessage;
      if (msg.t === 'res') {
        this.pending.get(msg.id)?.(msg.reply);
        this.pending.delete(msg.id);
      } else if (msg.name === 'job:progress') {
        this.progress = msg.payload as JobProgress;
      } else if (msg.name === 'job:done' || msg.name === 'job:failed') {
        const p = msg.payload as { jobId: string; error?: { message: string } };
        this.finished.add(p.jobId);
        if (msg.name === 'job:failed') console.log(`  job ${p.jobId.slice(0, 8)} failed: ${p.error?.message}`);
      }
    });
  }

  static async connect(srv: RunningServer): Promise<Client> {
    const ws = new WebSocket(`ws://127.0.0.1:${srv.port}/ws`, clientProtocols(srv.token), { headers: { Origin: srv.origin } });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return new Client(ws);
  }

  request(name: RequestName, args: unknown = {}): Promise<Envelope<unknown>> {
    const id = this.next++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.ws.send(JSON.stringify({ t: 'req', id, name, args }));
    });
  }

  async call<T>(name: RequestName, args: unknown = {}): Promise<T> {
    const r = await this.request(name, args);
    if (!r.ok) throw new Error(`${name}: ${r.error.code}: ${r.error.message}`);
    return r.value as T;
  }

  async waitJob(jobId: string, timeoutMs: number): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!this.finished.has(jobId)) {
      if (Date.now() > end) throw new Error(`job ${jobId} did not finish within ${timeoutMs / 1000} s`);
      await sleep(50);
    }
  }

  close(): void {
    this.ws.close();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function summarize(scenario: string, samples: number[]): Row {
  const s = [...samples].sort((a, b) => a - b);
  return { scenario, n: s.length, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s.at(-1) ?? NaN };
}

/** One timed round trip of `projectInfo`. */
export async function sample(client: Client): Promise<number> {
  const t0 = performance.now();
  const r = await client.request('projectInfo');
  const ms = performance.now() - t0;
  if (!r.ok) throw new Error(`projectInfo failed: ${r.error.message}`);
  return ms;
}

/**
 * Samples every `gapMs` while `busy()` returns a label, grouped by label; a label that already has
 * `perLabel` samples is skipped (waiting) so every phase of a long job gets its share.
 */
async function sampleWhile(client: Client, busy: () => string | null, gapMs: number, perLabel: number): Promise<Map<string, number[]>> {
  const groups = new Map<string, number[]>();
  for (;;) {
    const label = busy();
    if (!label) break;
    const list = groups.get(label) ?? [];
    groups.set(label, list);
    if (list.length < perLabel) list.push(await sample(client));
    await sleep(gapMs);
  }
  return groups;
}

/** Real load: import the flowers images and triplets, then train (features first) and sample meanwhile. */
async function trainingLoad(client: Client, projectDir: string): Promise<Map<string, number[]>> {
  await client.call('pickFolder', { typed: projectDir }); // writes go only to picked paths
  await client.call('createProject', { dir: projectDir });
  const imp = await client.call<{ jobId: string }>('importImages', { folder: join(flowersDir(), 'images') });
  await client.waitJob(imp.jobId, 300_000);
  await client.call('importTriplets', { file: join(flowersDir(), 'train.txt'), split: 'train', skipInvalid: true });
  await client.call('importTriplets', { file: join(flowersDir(), 'test.txt'), split: 'test', skipInvalid: true });
  const { jobId } = await client.call<{ jobId: string }>('train', { options: { backbone: BACKBONE } });
  const started = performance.now();
  const groups = await sampleWhile(
    client,
    () => {
      if (client.finished.has(jobId) || performance.now() - started > 300_000) return null;
      const p = client.progress;
      return p && p.jobId === jobId ? `training job: ${p.phase}` : 'training job: starting';
    },
    25,
    600,
  );
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  if (!client.finished.has(jobId)) {
    console.log(`  training job still running after ${seconds} s: cancelled`);
    await client.call('cancelJob', { jobId });
    await client.waitJob(jobId, 30_000);
  } else {
    const runs = await client.call<Array<{ id: number; status: string; testAccuracy: number | null }>>('runs');
    const last = runs.reduce<(typeof runs)[number] | undefined>((a, b) => (a && a.id > b.id ? a : b), undefined);
    console.log(`  training job (features + training) took ${seconds} s; run ${last?.status}, test accuracy ${last?.testAccuracy ?? '-'}`);
  }
  return groups;
}

/** Fallback load: one worker thread spinning on the CPU for `seconds`. */
async function cpuWorkerLoad(client: Client, seconds: number): Promise<Map<string, number[]>> {
  const worker = new Worker(
    `const { workerData } = require('node:worker_threads'); const end = Date.now() + workerData * 1000; let x = 0; while (Date.now() < end) { x += Math.sqrt(x + 1); }`,
    { eval: true, workerData: seconds },
  );
  let running = true;
  worker.once('exit', () => (running = false));
  try {
    return await sampleWhile(client, () => (running ? 'CPU-heavy worker thread' : null), 20, 600);
  } finally {
    await worker.terminate();
  }
}

export async function runIpcBench(): Promise<Row[]> {
  const tmp = mkdtempSync(join(tmpdir(), 'ts-bench-ipc-'));
  const staticDir = join(tmp, 'renderer');
  mkdirSync(staticDir);
  const noShared = skipWithoutShared();
  const backbones = sharedModelsDir();
  if (!process.env.TRIPLET_STUDIO_BACKBONES && !noShared && existsSync(join(backbones, BACKBONE, 'model.json'))) {
    process.env.TRIPLET_STUDIO_BACKBONES = backbones;
  }
  // IPC_SERVICE=fork: the service in a child process behind the service protocol (as in Electron).
  const forked = process.env.IPC_SERVICE === 'fork';
  if (forked) console.log('  service: forked child process (src/main/service/main.ts)');
  const createService = forked
    ? (o: { dataDir: string; emit: EmitFn }) => forkService({ entry: fileURLToPath(new URL('../src/main/service/main.ts', import.meta.url)), ...o })
    : undefined;
  const srv = await startServer({ dataDir: join(tmp, 'data'), staticDir, createService });
  const client = await Client.connect(srv);
  const rows: Row[] = [];
  try {
    // Warm-up, then idle baseline (no project, then an open project).
    for (let i = 0; i < 20; i++) await sample(client);
    rows.push(summarize('idle, no project', await collect(client, 200)));
    let groups: Map<string, number[]>;
    if (noShared) {
      console.log(`  no training load: ${noShared}; using a CPU-heavy worker thread instead`);
      groups = await cpuWorkerLoad(client, 8);
    } else {
      try {
        groups = await trainingLoad(client, join(tmp, 'project'));
      } catch (err) {
        console.log(`  training load unavailable (${err instanceof Error ? err.message : String(err)}); using a CPU-heavy worker thread instead`);
        groups = await cpuWorkerLoad(client, 8);
      }
    }
    if (await client.call('projectInfo')) rows.push(summarize('idle, project open (after the job)', await collect(client, 200)));
    for (const [label, samples] of groups) rows.push(summarize(label, samples));
  } finally {
    client.close();
    await srv.close();
    rmSync(tmp, { recursive: true, force: true });
  }
  printTable(rows);
  return rows;
}

async function collect(client: Client, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await sample(client));
  return out;
}

function printTable(rows: Row[]): void {
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '-');
  console.log(`\nIPC round trip (projectInfo over the browser-mode WebSocket), ms — target p95 < ${TARGET_P95_MS} ms`);
  console.log('| scenario | n | p50 | p95 | p99 | max | p95 target |');
  console.log('|---|---:|---:|---:|---:|---:|---|');
  for (const r of rows) {
    const verdict = r.n < 20 ? 'too few samples' : r.p95 < TARGET_P95_MS ? 'met' : 'MISSED';
    console.log(`| ${r.scenario} | ${r.n} | ${f(r.p50)} | ${f(r.p95)} | ${f(r.p99)} | ${f(r.max)} | ${verdict} |`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runIpcBench();
}
