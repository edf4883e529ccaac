// The host side of the service process: forwards requests (already validated by the dispatcher)
// as protocol messages, matches replies by id, relays events, and survives a crash of the service
// process — requests in flight fail with SERVICE_CRASHED, jobs it was running are reported failed,
// a fresh process is started (a few times per minute at most), the open project is reopened, and
// a `service:crashed` event tells the renderer what happened.
import { AppError } from '../../shared/errors.js';
import { REQUEST_NAMES, type EventName, type Events } from '../../shared/ipc.js';
import type { JobProgress } from '../../shared/types.js';
import type { EmitFn, HostedService } from './hosted.js';
import { isServiceMessage, SERVICE_CRASHED, type HostMessage, type ServiceMethod, type ServiceTransport, type TransportFactory } from './protocol.js';

export interface ServiceClientOptions {
  emit: EmitFn;
  /** Restarts allowed within `restartWindowMs` before the client gives up (default 3 per minute). */
  maxRestarts?: number;
  restartWindowMs?: number;
  log?: (line: string) => void;
}

interface Pending {
  method: ServiceMethod;
  resolve(value: unknown): void;
  reject(err: Error): void;
}

/**
 * Jobs the service starts, by the request that answers with their id: reported failed when the
 * process dies under them, even before their first progress event. Every other job (one a request
 * runs before it answers: an import of triplets, a map, an export, the background features) is known
 * from its progress events.
 */
const JOB_KINDS: Partial<Record<ServiceMethod, JobProgress['kind']>> = {
  importImages: 'import-images',
  fetchBackbone: 'download',
  train: 'train',
  audit: 'audit',
};

export class ServiceClient {
  private transport: ServiceTransport | null = null;
  private readonly pending = new Map<number, Pending>();
  private readonly jobs = new Map<string, JobProgress['kind']>();
  private readonly crashes: number[] = [];
  private nextId = 1;
  private projectDir: string | null = null;
  private disposed = false;
  private downReason: string | null = null;
  /** Requests sent before the new process said `ready` (its listener may not exist yet). */
  private queue: HostMessage[] | null = null;
  /** The request methods as a service object the dispatcher (and the hosts) call. */
  readonly api: HostedService;

  constructor(private readonly start: TransportFactory, private readonly opts: ServiceClientOptions) {
    this.api = this.buildApi();
    this.spawn();
  }

  /** Sends one request; resolves with the value or rejects with the service's AppError. */
  call(method: ServiceMethod, args: unknown): Promise<unknown> {
    if (this.disposed) return Promise.reject(new AppError(SERVICE_CRASHED, 'The service has shut down.'));
    if (!this.transport) return Promise.reject(new AppError(SERVICE_CRASHED, `The service is not running (${this.downReason ?? 'not started'}); restart Triplet Studio.`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { method, resolve: (v) => resolve(this.track(method, args, v)), reject });
      this.send({ t: 'req', id, method, args });
    });
  }

  /** Asks the service to stop its jobs and close the store, then ends the process. */
  async dispose(timeoutMs = 5000): Promise<void> {
    if (this.disposed) return;
    const done = this.call('dispose', {}).catch(() => {});
    this.disposed = true;
    await Promise.race([done, new Promise((r) => setTimeout(r, timeoutMs).unref())]);
    this.transport?.kill();
    this.transport = null;
  }

  private send(msg: HostMessage): void {
    if (this.queue) this.queue.push(msg);
    else this.transport?.send(msg);
  }

  private spawn(): void {
    this.queue = [];
    const transport = this.start();
    this.transport = transport;
    transport.onMessage((m) => this.receive(m));
    let gone = false;
    transport.onExit((reason) => {
      if (gone) return;
      gone = true;
      if (this.transport === transport) this.crashed(reason);
    });
  }

  private receive(m: unknown): void {
    if (!isServiceMessage(m)) return;
    if (m.t === 'evt') return this.relay(m.name, m.payload);
    if (m.t === 'ready') return this.flush();
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.ok) p.resolve(m.value);
    else p.reject(new AppError(m.error.code, m.error.message, m.error.details));
  }

  private flush(): void {
    const queued = this.queue ?? [];
    this.queue = null;
    for (const msg of queued) this.transport?.send(msg);
  }

  private relay(name: EventName, payload: unknown): void {
    if (name === 'job:done' || name === 'job:failed') this.jobs.delete((payload as { jobId: string }).jobId);
    if (name === 'job:progress') {
      const p = payload as JobProgress;
      if (!this.jobs.has(p.jobId)) this.jobs.set(p.jobId, p.kind);
    }
    this.opts.emit(name, payload as Events[typeof name]);
  }

  /** Remembers what must survive a restart: the open project and the running jobs. */
  private track(method: ServiceMethod, args: unknown, value: unknown): unknown {
    if (method === 'openProject' || method === 'createProject') this.projectDir = (args as { dir: string }).dir;
    if (method === 'closeProject') this.projectDir = null;
    const kind = JOB_KINDS[method];
    const jobId = (value as { jobId?: unknown } | null)?.jobId;
    if (kind && typeof jobId === 'string') this.jobs.set(jobId, kind);
    return value;
  }

  private crashed(reason: string): void {
    this.transport = null;
    this.queue = null;
    if (this.disposed) return;
    this.opts.log?.(`Triplet Studio service stopped (${reason}).`);
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(new AppError(SERVICE_CRASHED, `The service process stopped (${reason}) while answering "${p.method}". It was restarted; try again.`));
    }
    for (const [jobId, kind] of this.jobs) {
      this.opts.emit('job:failed', { jobId, kind, cancelled: false, error: { code: SERVICE_CRASHED, message: `The service process stopped (${reason}) during this job.` } });
    }
    this.jobs.clear();
    const restarted = this.mayRestart();
    if (!restarted) {
      this.downReason = `${reason}; it crashed ${this.crashes.length} times in a row`;
      this.opts.emit('service:crashed', { reason, restarted: false, reopened: null });
      return;
    }
    this.spawn();
    void this.reopen().then((reopened) => {
      this.opts.emit('service:crashed', { reason, restarted: true, reopened });
      this.opts.emit('project:changed', { what: 'project' });
    });
  }

  /** At most `maxRestarts` restarts within the window, so a process that dies on start does not loop. */
  private mayRestart(): boolean {
    const now = Date.now();
    const window = this.opts.restartWindowMs ?? 60_000;
    this.crashes.push(now);
    while (this.crashes.length && this.crashes[0] < now - window) this.crashes.shift();
    return this.crashes.length <= (this.opts.maxRestarts ?? 3);
  }

  private async reopen(): Promise<string | null> {
    const dir = this.projectDir;
    if (!dir) return null;
    try {
      await this.call('openProject', { dir });
      return dir;
    } catch (err) {
      this.projectDir = null;
      this.opts.log?.(`Could not reopen ${dir} after the restart: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    }
  }

  private buildApi(): HostedService {
    const api: Record<string, unknown> = {
      mediaPath: (kind: 'thumb' | 'image', id: number) => this.call('mediaPath', { kind, id }) as Promise<string | null>,
      dispose: () => this.dispose(),
    };
    for (const name of REQUEST_NAMES) {
      if (name !== 'pickFolder' && name !== 'pickFile' && name !== 'listDir') api[name] = (args: unknown) => this.call(name, args);
    }
    return api as unknown as HostedService;
  }
}
