// Node transport for the service process: child_process.fork with the same protocol messages that
// Electron's utilityProcess carries. Used where Electron is absent (tests, browser mode on request).
// `serialization: 'advanced'` is the structured clone Electron's postMessage uses, so both
// transports carry the same values (typed arrays, Maps, undefined in objects).
import { fork, type ChildProcess } from 'node:child_process';
import type { EmitFn, HostedService } from './hosted.js';
import type { ServiceTransport, TransportFactory } from './protocol.js';

export interface ForkOptions {
  /** Service entry: src/main/service/main.ts (run through tsx) or a bundled service.cjs. */
  entry: string;
  env?: NodeJS.ProcessEnv;
  /** Extra arguments for the child (tests pick a fake service's behaviour with them). */
  args?: string[];
}

export function forkTransport(opts: ForkOptions): TransportFactory {
  return () => {
    const execArgv = opts.entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
    const child = fork(opts.entry, opts.args ?? [], {
      execArgv,
      env: opts.env ?? process.env,
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return childTransport(child);
  };
}

export function childTransport(child: ChildProcess): ServiceTransport {
  return {
    send: (msg) => {
      if (child.connected) child.send(msg);
    },
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => {
      child.once('exit', (code, signal) => listener(signal ? `signal ${signal}` : `exit code ${code}`));
      child.once('error', (err) => listener(`could not start: ${err.message}`));
    },
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill();
    },
  };
}

/** A service in a Node child process behind the protocol, as a HostedService (bench, tests). */
export async function forkService(opts: { entry: string; dataDir: string; emit: EmitFn; log?: (line: string) => void }): Promise<HostedService> {
  const env = { ...process.env, TRIPLET_STUDIO_SERVICE_DATA: opts.dataDir };
  const { ServiceClient } = await import('./client.js');
  return new ServiceClient(forkTransport({ entry: opts.entry, env }), { emit: opts.emit, log: opts.log }).api;
}
