// The diagnostics log: where an unexpected error (a bug, not a user's mistake) leaves its stack, so
// that a user can attach it to a bug report. The app's message for such an error names the file; the
// Help overlay shows where it is. One file per data folder, <data>/logs/triplet-studio.log.
// - Bounded: at 1 MiB the file becomes triplet-studio.1.log (replacing the older one), and one source
//   writes at most 60 entries a minute (a loop that fails cannot push the first error out).
// - Synchronous appends: a crash handler's entry is on disk before the process ends, and Electron's
//   main process and its service process can share the file.
// - Private: mode 0600 (it names the user's folders); browser mode's token is never written.
// - Never in the way: a log that cannot be written is skipped, and the app goes on.
import { appendFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { knownError, toIpcError, type IpcError } from '../../shared/errors.js';
import { makeDirs } from './make-dirs.js';

export const LOG_FILE_NAME = 'triplet-studio.log';
const MAX_BYTES = 1 << 20;
/** One entry's cap: a huge message (a whole file quoted) must not fill the log. */
const MAX_ENTRY_CHARS = 16_000;
const ENTRIES_PER_MINUTE = 60;

/** The log file of a data folder. */
export function logFileOf(dataDir: string): string {
  return join(dataDir, 'logs', LOG_FILE_NAME);
}

/**
 * Errors worth a stack in the log: anything but our own coded errors (AppError), cancellations,
 * file-system errors on a path (a folder that is a file, a full disk: the user's machine, not a bug)
 * and a request that met its project closed (shared/errors.ts knownError).
 */
export function isUnexpected(err: unknown): boolean {
  if (knownError(err)) return false;
  return !(err && typeof err === 'object' && (err as Error).name === 'AbortError');
}

/** Browser mode's token may sit in a URL being logged (`/?token=…`): it is cut out. */
export function redact(text: string): string {
  return text.replace(/([?&#]token=)[^&#\s"']*/gi, '$1[redacted]');
}

/** What the request and job paths need of a log. */
export interface ErrorLog {
  readonly file: string;
  error(what: string, err: unknown): void;
}

/**
 * The wire form of an error. An unexpected one is written to the log first, and its reply names the
 * log file (`details.log`) so the app can say where the details are.
 */
export function reportedError(err: unknown, what: string, log: ErrorLog | undefined): IpcError {
  const wire = toIpcError(err);
  if (!log || !isUnexpected(err)) return wire;
  // A job's error also fails the request that waited for it (exportRun, suggest): logged once.
  const seen = err !== null && typeof err === 'object';
  if (!(seen && logged.has(err))) log.error(what, err);
  if (seen) logged.add(err);
  return { ...wire, details: { log: log.file } };
}

/** Errors already written to a log (by any writer of this process). */
const logged = new WeakSet<object>();

/** An error as text: its stack (which starts with name and message) or its message. */
function describe(err: unknown): string {
  if (err instanceof Error) return err.stack ?? `${err.name}: ${err.message}`;
  return String(err);
}

export class DiagnosticsLog implements ErrorLog {
  readonly file: string;
  private windowStart = 0;
  private inWindow = 0;
  private dropped = 0;

  /** `source` names the writer in each entry (browser mode, service, electron, cli). */
  constructor(
    dataDir: string,
    private readonly source: string,
    private readonly maxBytes = MAX_BYTES,
  ) {
    this.file = logFileOf(dataDir);
  }

  /** A line of context (a start, a stop): no stack. */
  info(message: string): void {
    this.write('INFO', message);
  }

  /** An unexpected error and where it happened ("request train", "job audit", …). */
  error(what: string, err: unknown): void {
    this.write('ERROR', `${what}: ${describe(err)}`);
  }

  private write(level: 'INFO' | 'ERROR', text: string): void {
    if (!this.admit()) return;
    let body = redact(text);
    if (body.length > MAX_ENTRY_CHARS) body = `${body.slice(0, MAX_ENTRY_CHARS)}… [${body.length - MAX_ENTRY_CHARS} more characters cut]`;
    if (this.dropped) {
      body += `\n  (${this.dropped} earlier entries of this ${this.source} were left out: more than ${ENTRIES_PER_MINUTE} a minute)`;
      this.dropped = 0;
    }
    const entry = `${new Date().toISOString()} ${level} ${this.source} pid ${process.pid} ${body.replace(/\n/g, '\n  ')}\n`;
    try {
      makeDirs(join(this.file, '..'), { mode: 0o700 });
      this.rotateFor(Buffer.byteLength(entry));
      appendFileSync(this.file, entry, { mode: 0o600 });
    } catch {
      // A full disk or a read-only data folder: the app goes on without its log.
    }
  }

  /** At most ENTRIES_PER_MINUTE entries in each one-minute window; the rest are counted and said later. */
  private admit(): boolean {
    const now = Date.now();
    if (now - this.windowStart >= 60_000) {
      this.windowStart = now;
      this.inWindow = 0;
    }
    if (this.inWindow >= ENTRIES_PER_MINUTE) {
      this.dropped++;
      return false;
    }
    this.inWindow++;
    return true;
  }

  /** Moves a full log aside (one older file kept), so the log stays under twice the cap. */
  private rotateFor(bytes: number): void {
    let size = 0;
    try {
      size = statSync(this.file).size;
    } catch {
      return; // no log yet
    }
    if (size + bytes > this.maxBytes) renameSync(this.file, this.file.replace(/\.log$/, '.1.log'));
  }
}

/**
 * Writes an uncaught exception (or unhandled rejection) to the log before Node's default handling
 * ends the process, which it still does: the monitor event changes nothing else. Returns the remover.
 */
export function logCrashes(log: DiagnosticsLog): () => void {
  const onCrash = (err: unknown, origin: string) => log.error(`crash (${origin})`, err);
  process.on('uncaughtExceptionMonitor', onCrash);
  return () => process.off('uncaughtExceptionMonitor', onCrash);
}
