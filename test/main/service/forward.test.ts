// The service-process forwarding over a Node child process, with the same protocol messages the
// Electron utilityProcess carries: request/reply, events, coded errors, job cancel, crash → restart
// reported (in-flight requests fail with SERVICE_CRASHED), dispose; and the real service entry.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { AppError } from '../../../src/shared/errors.js';
import type { EventName } from '../../../src/shared/ipc.js';
import { createDispatcher } from '../../../src/main/ipc/dispatch.js';
import { ServiceClient, type ServiceClientOptions } from '../../../src/main/service/client.js';
import { forkTransport } from '../../../src/main/service/fork.js';
import { logFileOf } from '../../../src/main/util/diagnostics-log.js';
import { repoRoot } from '../../helpers/shared.js';

const FAKE = join(repoRoot, 'test', 'main', 'service', 'fixtures', 'fake-service.ts');
const REAL = join(repoRoot, 'src', 'main', 'service', 'main.ts');

type Seen = Array<{ name: EventName; payload: any }>;

function start(entry = FAKE, opts: Partial<ServiceClientOptions> = {}, env: NodeJS.ProcessEnv = process.env) {
  const events: Seen = [];
  const client = new ServiceClient(forkTransport({ entry, env }), { emit: (name, payload) => events.push({ name, payload }), ...opts });
  return { client, api: client.api as any, events };
}

async function waitFor<T>(what: string, probe: () => T | undefined | false, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function rejectsWith(p: Promise<unknown>, code: string, message?: RegExp): Promise<AppError> {
  const err = await p.then(
    () => assert.fail(`expected ${code}`),
    (e: unknown) => e,
  );
  assert.ok(err instanceof AppError, String(err));
  assert.equal(err.code, code, err.message);
  if (message) assert.match(err.message, message);
  return err;
}

test('requests are answered by the child process, media paths included', async () => {
  const { client, api } = start();
  try {
    const [pid] = await api.recentProjects({});
    assert.notEqual(Number(pid), process.pid);
    assert.equal(await api.projectInfo({}), null);
    assert.deepEqual(await api.openProject({ dir: '/p/one' }), { dir: '/p/one' });
    assert.equal(await api.mediaPath('thumb', 12), '/media-of/thumb/12');
  } finally {
    await client.dispose();
  }
});

test('errors keep their code, message and details; plain exceptions become INTERNAL', async () => {
  const { client, api } = start();
  try {
    const err = await rejectsWith(api.openProject({ dir: '/p/missing' }), 'NOT_FOUND', /No project at \/p\/missing/);
    assert.deepEqual(err.details, { dir: '/p/missing' });
    await rejectsWith(api.evaluate({}), 'INTERNAL', /evaluate blew up/);
    // Through the dispatcher, as Electron's main process and the server use it: the same envelope.
    const d = createDispatcher(api, { pickFolder: async () => null, pickFile: async () => null });
    const sender = { transport: 'socket', authenticated: true } as const;
    assert.deepEqual(await d.dispatch('openProject', { dir: '/p/missing' }, sender), {
      ok: false,
      error: { code: 'NOT_FOUND', message: 'No project at /p/missing.', details: { dir: '/p/missing' } },
    });
    const bad = await d.dispatch('openProject', { dir: 3 }, sender);
    assert.equal(bad.ok === false && bad.error.code, 'BAD_ARGUMENTS');
    assert.deepEqual(await d.dispatch('recentProjects', {}, { transport: 'socket', authenticated: false }).then((r) => r.ok), false);
  } finally {
    await client.dispose();
  }
});

test("an unexpected failure in the service process leaves its stack in the log there; the host's error names the file", async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'ts-service-log-'));
  const { client, api } = start(FAKE, {}, { ...process.env, FAKE_SERVICE_LOG_DIR: tmp });
  try {
    const err = await rejectsWith(api.evaluate({}), 'INTERNAL', /evaluate blew up/);
    const file = logFileOf(tmp);
    assert.deepEqual(err.details, { log: file });
    await rejectsWith(api.openProject({ dir: '/p/missing' }), 'NOT_FOUND');
    const text = readFileSync(file, 'utf8');
    assert.match(text, /ERROR service pid \d+ request evaluate: Error: evaluate blew up\n\s+at .*fake-service\.ts/);
    assert.equal((text.match(/ ERROR /g) ?? []).length, 1, 'the coded NOT_FOUND is not logged');
  } finally {
    await client.dispose();
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('events flow back, and a job is cancelled through the service', async () => {
  const { client, api, events } = start();
  try {
    const { jobId } = await api.train({ options: {} });
    await waitFor('progress events', () => events.filter((e) => e.name === 'job:progress' && e.payload.jobId === jobId).length >= 3);
    assert.equal(await api.cancelJob({ jobId }), true);
    const failed = await waitFor('job:failed', () => events.find((e) => e.name === 'job:failed'));
    assert.deepEqual(failed.payload, { jobId, kind: 'train', cancelled: true, error: { code: 'CANCELLED', message: 'Cancelled.' } });
    assert.equal(await api.cancelJob({ jobId }), false);
  } finally {
    await client.dispose();
  }
});

test('a crashed service is restarted and reported; requests in flight fail with SERVICE_CRASHED', async () => {
  const { client, api, events } = start();
  try {
    const [pid1] = await api.recentProjects({});
    await api.openProject({ dir: '/p/kept' });
    const { jobId } = await api.train({ options: {} });
    const { jobId: auditId } = await api.audit({});
    const map = api.mapProjection({}); // runs a job before it answers
    await waitFor('the map job', () => events.find((e) => e.name === 'job:progress' && e.payload.kind === 'map'));
    const slow = api.history({}); // still waiting when the process dies
    await rejectsWith(api.listFolders({}), 'SERVICE_CRASHED', /exit code 7.*"listFolders"/);
    await rejectsWith(slow, 'SERVICE_CRASHED', /"history"/);
    await rejectsWith(map, 'SERVICE_CRASHED', /"mapProjection"/);
    // Every job the dead process ran is reported failed, so no view waits for it (or shows its bar) forever.
    for (const [id, kind] of [[jobId, 'train'], [auditId, 'audit'], [`map-${pid1}`, 'map']]) {
      const jobFailed = events.find((e) => e.name === 'job:failed' && e.payload.jobId === id);
      assert.deepEqual([jobFailed?.payload.kind, jobFailed?.payload.error.code], [kind, 'SERVICE_CRASHED'], id);
    }
    const crashed = await waitFor('service:crashed', () => events.find((e) => e.name === 'service:crashed'));
    assert.deepEqual(crashed.payload, { reason: 'exit code 7', restarted: true, reopened: '/p/kept' });
    const [pid2] = await api.recentProjects({});
    assert.notEqual(pid2, pid1, 'a new process answers');
    assert.deepEqual(await api.projectInfo({}), { dir: '/p/kept', pid: Number(pid2) });
  } finally {
    await client.dispose();
  }
});

test('a service that keeps crashing is given up on, and requests say so', async () => {
  const { client, api, events } = start(FAKE, { maxRestarts: 1 });
  try {
    await rejectsWith(api.listFolders({}), 'SERVICE_CRASHED');
    await waitFor('first restart', () => events.find((e) => e.name === 'service:crashed'));
    await rejectsWith(api.listFolders({}), 'SERVICE_CRASHED');
    const last = events.filter((e) => e.name === 'service:crashed').at(-1);
    assert.deepEqual(last?.payload, { reason: 'exit code 7', restarted: false, reopened: null });
    await rejectsWith(api.recentProjects({}), 'SERVICE_CRASHED', /not running/);
  } finally {
    await client.dispose();
  }
});

test('the real service entry runs StudioService in the child: project, info, coded errors', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'ts-service-'));
  const { client, api, events } = start(REAL, {}, { ...process.env, TRIPLET_STUDIO_SERVICE_DATA: join(tmp, 'data') });
  try {
    const info = await api.createProject({ dir: join(tmp, 'proj') });
    assert.equal(info.dir, join(tmp, 'proj'));
    assert.equal((await api.projectInfo({})).dir, join(tmp, 'proj'));
    assert.deepEqual(await api.recentProjects({}), [join(tmp, 'proj')]);
    await waitFor('project:changed', () => events.find((e) => e.name === 'project:changed'));
    const err = await api.openProject({ dir: join(tmp, 'nothing-here') }).catch((e: unknown) => e);
    assert.ok(err instanceof AppError && err.code !== 'INTERNAL' && err.code !== 'SERVICE_CRASHED', String(err));
    assert.equal(await api.mediaPath('thumb', 1), null);
  } finally {
    await client.dispose();
    rmSync(tmp, { recursive: true, force: true });
  }
});
