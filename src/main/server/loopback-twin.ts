// Browser mode listens on 127.0.0.1, but a browser asked for `localhost:PORT` tries [::1]:PORT first:
// whatever program listens there would get the request, and a `?token=` typed with it. So the same
// port on ::1 is held too, by a second listener handing every connection to the first server. When
// another program holds it already, the notice says to open the 127.0.0.1 address, not localhost.
import { createServer, type Server, type ServerOptions } from 'node:http';
import type { ConnectionCap } from './connection-cap.js';

/** The ::1 listener beside `server` (on 127.0.0.1:`port`), or null when it could not listen (said in `notices` when taken). */
export async function holdIpv6Loopback(server: Server, port: number, options: ServerOptions, notices: string[], cap: ConnectionCap): Promise<Server | null> {
  const twin = createServer(options);
  // Its connections count under the same cap (attached first: the forwarded events below reach the
  // cap's listeners on `server` too, which only repeat the same bookkeeping).
  cap.attach(twin);
  for (const event of ['request', 'upgrade', 'clientError'] as const) twin.on(event, (...args: unknown[]) => server.emit(event, ...args));
  try {
    await new Promise<void>((done, fail) => {
      twin.once('error', fail);
      twin.listen(port, '::1', () => (twin.off('error', fail), done()));
    });
    return twin;
  } catch (err) {
    // No IPv6 on this machine (EADDRNOTAVAIL, EAFNOSUPPORT): nothing can listen there either.
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      notices.push(`Another program listens on [::1]:${port}: open the 127.0.0.1 address printed below, not localhost:${port} (that could reach the other program).`);
    }
    return null;
  }
}
