// Electron transport for the service process: utilityProcess.fork of dist/electron/service.cjs.
// The utility process is a Node process Chromium supervises; it holds StudioService, SQLite and
// the ML workers, so a slow query or an embedding never blocks the window's main thread.
import { utilityProcess } from 'electron';
import type { ServiceTransport, TransportFactory } from '../service/protocol.js';

export function utilityTransport(entry: string, env: NodeJS.ProcessEnv): TransportFactory {
  return (): ServiceTransport => {
    const child = utilityProcess.fork(entry, [], { serviceName: 'Triplet Studio service', env, stdio: 'inherit' });
    return {
      send: (msg) => child.postMessage(msg),
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => child.once('exit', (code) => listener(`exit code ${code}`)),
      kill: () => void child.kill(),
    };
  };
}
