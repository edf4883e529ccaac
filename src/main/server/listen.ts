// Listening on the port a data folder used last time, so browser mode's address stays the same
// across restarts. A remembered port that another program holds now is reported and replaced (the
// address changes, with a new token, and the notice says so); an explicitly requested port that is
// taken is an error.
// A remembered port held by browser mode itself, on the same data folder, is not "another program":
// a second start says where the running one is, instead of a second server on the same projects
// (whose new port would also replace the first one's remembered address). It is asked without
// sending the token (running-proof.ts): the port may be held by a hostile program.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '../../shared/errors.js';
import { isRunningWith } from './running-proof.js';
import { moveSession, rememberPort } from './session-store.js';

export interface ListenPlan {
  /** The data folder's lasting token, or null (a per-launch token). */
  token: string | null;
  /** `--port N` (0: any free port); null: use the remembered one. */
  explicitPort: number | null;
  rememberedPort: number | null;
  /** Where to remember the port; null: do not remember. */
  dataDir: string | null;
  notices: string[];
}

function listenOnce(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolveListen, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolveListen();
    });
  });
}

export interface Listening {
  port: number;
  /** The data folder's new token when the server moved off its remembered port; null otherwise. */
  newToken: string | null;
}

/** Listens as planned. Adds a notice when the remembered port was taken (then the port and the token are new). */
export async function listenWithMemory(server: Server, host: string, plan: ListenPlan, notices: string[]): Promise<Listening> {
  const wanted = plan.explicitPort ?? plan.rememberedPort ?? 0;
  try {
    await listenOnce(server, wanted, host);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const remembered = plan.explicitPort === null && plan.rememberedPort !== null;
    if (remembered && code === 'EADDRINUSE' && plan.token && (await isRunningWith(host, wanted, plan.token))) {
      const url = `http://${host.includes(':') ? `[${host}]` : host}:${wanted}/?token=${encodeURIComponent(plan.token)}`;
      throw new AppError('CONFLICT', `Triplet Studio already runs with this data folder: open ${url} (stop that one first to start again here, or give another data folder with --data DIR).`);
    }
    if (!remembered || (code !== 'EADDRINUSE' && code !== 'EACCES')) {
      if (code === 'EADDRINUSE') throw new Error(`Port ${wanted} on ${host} is already in use by another program: choose another with --port N (or leave --port out).`);
      throw err;
    }
    return moveOff(server, host, wanted, plan, notices);
  }
  const port = (server.address() as AddressInfo).port;
  if (plan.dataDir) rememberPort(plan.dataDir, port);
  return { port, newToken: null };
}

/**
 * The remembered port is taken: listens on a free one, with a new token, as the old one may have
 * been sent to the program that holds the port now (a tab that kept reconnecting to it).
 */
async function moveOff(server: Server, host: string, wanted: number, plan: ListenPlan, notices: string[]): Promise<Listening> {
  await listenOnce(server, 0, host);
  const port = (server.address() as AddressInfo).port;
  notices.push(
    `Port ${wanted}, which this data folder used last time, is taken by another program: using port ${port} instead, with a new token. ` +
      'The address below is new: bookmarks and open tabs of the old one will not reach this server.',
  );
  return { port, newToken: plan.dataDir ? moveSession(plan.dataDir, port) : null };
}
