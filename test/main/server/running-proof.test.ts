// The running proof (GET /auth/running) lets a tab and a second start tell browser mode from any
// other program on the port without sending the token: it must be bound to the port the server
// listens on, so a program on the old port that relays the nonce to the real server (now on another
// port) cannot pass. The renderer's side: test/renderer/lib/server-proof.test.ts.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { isRunningWith, runningProof } from '../../../src/main/server/running-proof.js';
import { startServer, type HostedService, type RunningServer } from '../../../src/main/server/index.js';

let dir: string;
let srv: RunningServer;
const fakeService = (): HostedService => ({ mediaPath: () => null }) as unknown as HostedService;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ts-proof-'));
  srv = await startServer({ dataDir: dir, staticDir: dir, createService: fakeService });
});
after(async () => {
  await srv?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts `handler` on a free loopback port; resolves with the server and its port. */
async function listen(handler: (req: IncomingMessage, res: import('node:http').ServerResponse) => void): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, port: (server.address() as AddressInfo).port };
}

/** A squatter on another port that forwards every request to the real server and records what it saw. */
function relayTo(target: number, seen: string[]): Promise<{ server: Server; port: number }> {
  return listen((req, res) => {
    seen.push(`${req.method} ${req.url} ${JSON.stringify(req.headers)}`);
    const out = request({ host: '127.0.0.1', port: target, path: req.url, method: req.method, headers: { ...req.headers, host: `127.0.0.1:${target}` }, agent: false }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
}

const closeServer = (s: Server): Promise<unknown> => new Promise((r) => (s.closeAllConnections(), s.close(r)));

test('the running proof covers the port: the same nonce gives another proof on another port', () => {
  const nonce = randomBytes(32).toString('hex');
  const a = runningProof(srv.token, 4000, nonce);
  assert.match(a ?? '', /^[0-9a-f]{64}$/);
  assert.notEqual(a, runningProof(srv.token, 4001, nonce));
  assert.equal(runningProof(srv.token, 4000, 'not-a-nonce'), null);
});

test('a program on another port that relays the nonce to the real server is not taken for it by a second start', async () => {
  const seen: string[] = [];
  const relay = await relayTo(srv.port, seen);
  try {
    assert.equal(await isRunningWith('127.0.0.1', srv.port, srv.token), true, 'the real server proves itself');
    assert.equal(await isRunningWith('127.0.0.1', relay.port, srv.token), false, 'a relayed proof names the real port, not the relay');
    assert.ok(seen.length >= 1, 'the relay was asked');
    assert.ok(seen.every((r) => !r.includes(srv.token)), `the token never left: ${seen.join('\n')}`);
  } finally {
    await closeServer(relay.server);
  }
});
