// A cap on browser mode's open connections (each holds a file descriptor) that another local program
// cannot turn into a lock-out. A plain cap (server.maxConnections) refuses newcomers once full, so 256
// connections that never finish their headers, reopened as the headers timeout closes them, kept
// every request out. Here a newcomer over the cap closes the connection that has been idle longest
// instead: one still sending its headers or waiting between keep-alive requests. A connection busy
// with a request, or accepted as the app's WebSocket (`accepted`), is never chosen, so a flood
// evicts itself and the tab's own requests get through. An upgrade that is refused stays choosable
// until it is gone (the server destroys it after its reply).
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export class ConnectionCap {
  private open = 0;
  /** Connections with no request in progress, longest idle first (a Set keeps insertion order). */
  private readonly idle = new Set<Socket>();

  constructor(readonly max: number) {}

  /** Counts `server`'s connections under this cap (browser mode's 127.0.0.1 server and its ::1 twin share one). */
  attach(server: Server): void {
    server.on('connection', (socket: Socket) => this.admit(socket));
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.busy(req.socket, res));
  }

  /** The socket became the app's WebSocket (after its handshake was checked): never made to make way. */
  accepted(socket: Socket): void {
    this.idle.delete(socket);
  }

  private admit(socket: Socket): void {
    this.open++;
    this.idle.add(socket);
    socket.once('close', () => {
      this.open--;
      this.idle.delete(socket);
    });
    if (this.open <= this.max) return;
    // The longest idle (this newcomer itself when every other one is busy). Out of the list at once:
    // its 'close' comes later, and the next newcomer of the same burst must choose another one.
    const victim = this.idle.values().next().value ?? socket;
    this.idle.delete(victim);
    victim.destroy();
  }

  /** A request in progress: not evictable until its reply is sent; then idle again, as the newest. */
  private busy(socket: Socket, res: ServerResponse): void {
    this.idle.delete(socket);
    res.once('finish', () => {
      if (!socket.destroyed) this.idle.add(socket);
    });
  }
}
