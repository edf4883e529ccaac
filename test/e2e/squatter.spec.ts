// A tab whose server stopped keeps reconnecting; a program that takes the port meanwhile must not
// receive the tab's token (before, every attempt sent it in the WebSocket handshake and in
// X-Triplet-Token). The tab asks the server to prove it holds the token first (GET /auth/running),
// and a program that cannot gets nothing and is shown as "Server not running".
import { createServer, type IncomingMessage } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { Duplex } from 'node:stream';
import { repoRoot } from '../helpers/shared.js';
import { expect, startStudio, stopStudio, test, VIEWPORTS } from './fixtures.js';

test.setTimeout(120_000);

test('a program that takes the port of a stopped server gets no token from the open tab', async ({ browser }) => {
  const root = mkdtempSync(join(tmpdir(), 'ts-e2e-squatter-'));
  let child: ChildProcess | null = null;
  const context = await browser.newContext({ viewport: VIEWPORTS[0] });
  // It records every request and handshake, and claims whatever it is asked (valid, a made-up proof).
  const seen: string[] = [];
  const record = (req: IncomingMessage) => seen.push(`${req.method} ${req.url} ${JSON.stringify(req.headers)}`);
  const hostile = createServer((req, res) => {
    record(req);
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ valid: true, proof: 'ab'.repeat(32) }));
  });
  hostile.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
    record(req);
    socket.destroy();
  });
  try {
    const started = await startStudio([join(repoRoot, 'scripts', 'serve.mjs'), '--data', join(root, 'data')]);
    child = started.child;
    const { port, searchParams } = new URL(started.url);
    const token = searchParams.get('token')!;
    const page = await context.newPage();
    await page.goto(started.url);
    await expect(page.getByTestId('connection')).toHaveText('Connected');

    await stopStudio(child);
    child = null;
    await new Promise<void>((r) => hostile.listen(Number(port), '127.0.0.1', () => r()));
    // Several reconnect attempts reach it…
    await expect.poll(() => seen.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
    // …and none carries the token, in any form.
    const leaked = seen.filter((r) => r.includes(token) || r.includes(encodeURIComponent(token)));
    expect(leaked, 'requests that carried the token').toEqual([]);
    await expect(page.getByTestId('connection')).toHaveText('Server not running');
    await expect(page.getByTestId('connection-notice')).toContainText('Start it again with `npm run serve`');
  } finally {
    await context.close();
    if (child) await stopStudio(child);
    hostile.closeAllConnections();
    await new Promise((r) => hostile.close(r));
    rmSync(root, { recursive: true, force: true });
  }
});
