// CLI plumbing shared by the commands: --json output, progress bars (stderr, TTY only), errors as one
// clear message and a non-zero exit (a stack trace only with TRIPLET_STUDIO_DEBUG=1), Ctrl-C → cancel.
import { percentText } from '../../shared/percent-text.js';
import cliProgress from 'cli-progress';
import { InvalidArgumentError, type Command } from 'commander';
import { AppError, knownError } from '../../shared/errors.js';
import { isAbortError } from '../jobs/abort.js';
import { progressReporter, type Progress } from '../jobs/progress.js';
import { Project } from '../project/project.js';
import { refuseProjectParts } from '../project/own-files.js';
import { pathInfoOf } from '../project/session.js';
import { assertFileTarget } from '../util/file-target.js';
import { DiagnosticsLog, isUnexpected } from '../util/diagnostics-log.js';
import { appDataDir } from '../util/paths.js';

export interface GlobalOptions {
  json?: boolean;
}

/** Options of the command plus the program-wide ones (--json may be given before or after the command). */
export function optionsOf<T>(cmd: Command): T & GlobalOptions {
  return cmd.optsWithGlobals() as T & GlobalOptions;
}

/** Prints the result: exactly one JSON document on stdout with --json, else the human text. */
export function output(json: boolean | undefined, value: unknown, human: () => string): void {
  if (json) process.stdout.write(JSON.stringify(value, null, 2) + '\n');
  else {
    const text = human();
    if (text) process.stdout.write(text.endsWith('\n') ? text : text + '\n');
  }
}

/**
 * A progress bar per phase on a TTY stderr, nothing otherwise. Reports pass through the one progress
 * reporter (jobs/progress.ts), which adds the ETA and throttling as for the app's job events.
 */
export function progressBar(): { onProgress: (p: Progress) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { onProgress: () => undefined, stop: () => undefined };
  let bar: cliProgress.SingleBar | null = null;
  let phase = '';
  const endBar = (): void => {
    bar?.stop();
    bar = null;
  };
  const render = (p: Progress): void => {
    if (p.phase !== phase || !bar) {
      endBar();
      phase = p.phase;
      // Without a total (a folder still being listed) there is no bar to fill: the count so far.
      const format = p.total > 0 ? '{phase} [{bar}] {percentage}% | {value}/{total} | ETA {etaText}{extra}' : '{phase} {value} so far{extra}';
      bar = new cliProgress.SingleBar(
        { stream: process.stderr, format, hideCursor: true, fps: 10 },
        cliProgress.Presets.shades_classic,
      );
      bar.start(Math.max(p.total, 1), p.done, { phase: p.phase.padEnd(8), etaText: '…', extra: '' });
    }
    const extra = p.epoch !== undefined ? ` | epoch ${p.epoch}${p.loss !== undefined ? ` loss ${p.loss.toFixed(4)}` : ''}${p.valAccuracy !== undefined ? ` val ${p.valAccuracy.toFixed(3)}` : ''}` : '';
    bar.setTotal(Math.max(p.total, 1));
    const rate = p.rate !== undefined && p.epoch === undefined ? ` | ${formatRate(p.rate)}/s` : '';
    bar.update(p.done, { etaText: p.eta === undefined ? '…' : formatSeconds(p.eta), extra: rate + extra });
  };
  let reporter = progressReporter(render);
  // Ends the current bar where it got to; later reports start a new bar (and a new ETA).
  const stop = (): void => {
    reporter.stop({ flush: true });
    reporter = progressReporter(render);
    endBar();
  };
  return { onProgress: (p) => reporter.report(p), stop };
}

/** 0.42, 12.3, 1,234: items per second at a readable precision. */
export function formatRate(r: number): string {
  return r < 1 ? r.toFixed(2) : r < 100 ? r.toFixed(1) : Math.round(r).toLocaleString('en-US');
}

export function formatSeconds(s: number): string {
  if (s < 60) return `${Math.round(s)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** An AbortSignal fired by Ctrl-C (a second Ctrl-C exits at once). */
export function interruptSignal(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onInt = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\nCancelling… (Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onInt);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onInt) };
}

/** Opens the project, runs `fn`, closes the project whatever happens. */
export async function withProject<T>(dir: string, fn: (p: Project) => Promise<T> | T): Promise<T> {
  const project = Project.open(dir);
  // What this command adds to the edit history is marked as made from the command line.
  project.markCommandLine();
  let failed = false;
  try {
    return await fn(project);
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    // A close that fails after `fn` failed must not hide why `fn` failed.
    try {
      project.close();
    } catch (closeErr) {
      if (!failed) throw closeErr;
    }
  }
}

/** Wraps a command action: errors become one message on stderr (and a JSON error with --json) and exit 1. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      reportError(err, jsonRequested(args));
      process.exitCode = isAbortError(err) ? 130 : 1;
    }
  };
}

function jsonRequested(args: unknown[]): boolean {
  const cmd = args.at(-1) as Command | undefined;
  return !!(cmd && typeof cmd.optsWithGlobals === 'function' && cmd.optsWithGlobals().json);
}

export function reportError(thrown: unknown, json: boolean): void {
  const err = knownError(thrown) ?? busyAsAppError(thrown);
  const debug = process.env.TRIPLET_STUDIO_DEBUG === '1';
  const code = err instanceof AppError ? err.code : isAbortError(err) ? 'CANCELLED' : 'INTERNAL';
  const message = isAbortError(err) ? 'Cancelled.' : err instanceof Error ? err.message : String(err);
  // An unexpected error (a bug) leaves its stack in the diagnostics log, as the app's do.
  const logFile = isUnexpected(err) ? logUnexpected(err) : undefined;
  if (json) {
    const details = err instanceof AppError ? err.details : logFile ? { log: logFile } : undefined;
    process.stdout.write(JSON.stringify({ error: { code, message, ...(details === undefined ? {} : { details }) } }, null, 2) + '\n');
  }
  process.stderr.write(`triplet-studio: ${message}\n`);
  if (logFile && !debug) process.stderr.write(`triplet-studio: this looks like a bug; the details are in ${logFile} (TRIPLET_STUDIO_DEBUG=1 prints them here)\n`);
  if (debug && thrown instanceof Error && thrown.stack) process.stderr.write(thrown.stack + '\n');
}

/** Writes an unexpected error to the diagnostics log; returns the file. */
function logUnexpected(err: unknown): string {
  const log = new DiagnosticsLog(appDataDir(), 'cli');
  log.error(`command ${process.argv.slice(2, 3).join('') || '(none)'}`, err);
  return log.file;
}

/** SQLITE_BUSY after the busy timeout: say what it means instead of "database is locked". */
function busyAsAppError(err: unknown): unknown {
  if (!/^SQLITE_BUSY/.test((err as { code?: string })?.code ?? '')) return err;
  return new AppError('BUSY', 'The project is busy: another process (the app or another command) has been writing to it for more than 5 s, so this command stopped (each of its writes is all or nothing). Run it again when the other one is done.');
}

/**
 * Output files (`paths`) and folders (`folders`: the tfjs export) are never replaced silently (the app
 * asks first): an existing file, or a non-empty folder, is refused unless --force was given, before any work. CONFLICT names the path. Part of
 * the project (its database, thumbs/, models/) is refused even with --force (FORBIDDEN).
 */
export function refuseToReplace(projectDir: string, paths: (string | undefined)[], force: boolean | undefined, folders: (string | undefined)[] = []): void {
  refuseProjectParts(projectDir, [...paths, ...folders]);
  // A file is never written over a folder or a device, --force or not (util/file-target.ts).
  for (const p of paths) if (p) assertFileTarget(p);
  // Nor a folder over a file: --force would not help, so it is not offered.
  for (const f of folders) {
    const info = f ? pathInfoOf(f) : null;
    if (info?.exists && info.kind !== 'dir') throw new AppError('CONFLICT', `${info.path} is a file, not a folder: choose a new or empty folder (nothing was written).`, { path: info.path });
  }
  if (force) return;
  for (const p of [...paths, ...folders]) {
    if (!p) continue;
    const info = pathInfoOf(p); // an empty folder replaces nothing
    if (!info.exists || (info.kind === 'dir' && info.empty)) continue;
    throw new AppError('CONFLICT', `${info.path} exists; pass --force to replace it (nothing was written).`, { path: info.path });
  }
}

/** Parses a number option (or, named in capitals, a positional argument), naming it in the error; `min`: the least value it takes. */
export function numberArg(name: string, integer = false, min = -Infinity, max = Infinity): (v: string) => number {
  // An argument in capitals (ID) is a positional one: no "--" before its name.
  const shown = name === name.toUpperCase() ? name : `--${name}`;
  return (v) => {
    const n = Number(v);
    const what = integer ? 'an integer' : 'a number';
    if (v.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n))) throw new InvalidArgumentError(`${shown} expects ${what}.`);
    // Checked here, as the value is parsed, so the message comes with the usage line and before the project is opened.
    if (n < min || n > max) throw new InvalidArgumentError(`${shown} expects ${what} ${max === Infinity ? `of at least ${min}` : `between ${min} and ${max}`}.`);
    return n;
  };
}

/** A table with aligned columns. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  return cells.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

export const pct = (x: number | null | undefined): string => (x === null || x === undefined ? '-' : percentText(x));
