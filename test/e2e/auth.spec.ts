// Browser-mode credentials in a real browser: the start URL's token leaves the address bar, lives
// in this tab's sessionStorage (surviving a reload) and opens the WebSocket as a subprotocol; the
// cookie is HttpOnly, port-specific and read-only, and a tab without the token says how to get in.
import { expect, test } from './fixtures.js';

test('the token leaves the URL, survives a reload, and a tab without it is signed out', async ({ app, studio, context }) => {
  const port = new URL(studio.url).port;
  const token = new URL(studio.url).searchParams.get('token')!;
  await expect(app.getByTestId('connection')).toHaveText('Connected');
  expect(app.url()).toBe(`http://127.0.0.1:${port}/`);
  expect(await app.evaluate(() => document.cookie)).toBe(''); // HttpOnly
  expect(await app.evaluate(() => sessionStorage.getItem('triplet-studio.token'))).toBe(token);
  const cookies = await context.cookies();
  expect(cookies.map((c) => c.name)).toEqual([`ts_media_${port}`]);
  expect(cookies[0].value).not.toContain(token);

  // A reload in the same tab keeps working (the token is in sessionStorage, not the URL).
  await app.reload();
  await expect(app.getByTestId('view-projects')).toBeVisible();
  await expect(app.getByTestId('connection')).toHaveText('Connected');
  expect(app.url()).not.toContain('token');

  // A new tab on the bare address has the cookie (the page loads) but not the token: it does not
  // connect, and says how to get in.
  const other = await context.newPage();
  const refused: string[] = [];
  other.on('websocket', (ws) => refused.push(ws.url()));
  await other.goto(`http://127.0.0.1:${port}/`);
  await expect(other.getByTestId('connection')).toHaveText('Not signed in');
  await expect(other.getByTestId('toast-error')).toContainText('open the address printed by `npm run serve`');
  expect(refused).toEqual([]);
  // The page itself still cannot open the socket with the cookie alone.
  const status = await other.evaluate(
    (url) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(url);
        ws.onopen = () => resolve('open');
        ws.onerror = () => resolve('refused');
      }),
    `ws://127.0.0.1:${port}/ws`,
  );
  expect(status).toBe('refused');
  await other.close();
});
