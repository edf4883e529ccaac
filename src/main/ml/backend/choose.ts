// Choosing a compute provider by measurement: at first use every candidate that can run here does
// the same small workload (a warm-up, then the median of a few timed runs) and the fastest is used.
// The choice is remembered per machine (one JSON file in the app data folder) with a fingerprint of
// what is installed, so adding a GPU package (`npm run gpu`) or changing Node re-measures. Pure
// logic with injected candidates, clock and store: test/main/ml/backend/choose.test.ts simulates
// providers; train-choice.ts supplies the real ones.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { makeDirs } from '../../util/make-dirs.js';

export interface Candidate {
  name: string;
  /** Why it cannot run here (not installed, no CUDA…): it is then not measured. */
  unavailable?: string;
  /** Runs the workload once; throws when the candidate fails. */
  run(): Promise<void>;
}

export interface Measured {
  name: string;
  /** Median milliseconds of the timed runs. */
  ms?: number;
  /** Why it was not measured or failed. */
  error?: string;
}

export interface Choice {
  /** What was chosen for (e.g. "train"). */
  task: string;
  chosen: string;
  /** One sentence: why this one. */
  why: string;
  measured: Measured[];
  fingerprint: string;
  /** ISO time of the measurement. */
  at: string;
  /** True when read from the store rather than measured now. */
  fromCache?: boolean;
}

export interface ChoiceStore {
  read(task: string): Choice | undefined;
  write(choice: Choice): void;
}

export interface ChooseOptions {
  store: ChoiceStore;
  fingerprint: string;
  /** Timed runs per candidate after one warm-up (default 3). */
  repeats?: number;
  now?: () => number;
  /** Measure again even when a stored choice matches. */
  remeasure?: boolean;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Times each available candidate: one warm-up run, then the median of `repeats` runs. */
export async function measureCandidates(candidates: Candidate[], repeats = 3, now: () => number = () => performance.now()): Promise<Measured[]> {
  const out: Measured[] = [];
  for (const c of candidates) {
    if (c.unavailable) {
      out.push({ name: c.name, error: c.unavailable });
      continue;
    }
    try {
      await c.run();
      const times: number[] = [];
      for (let i = 0; i < repeats; i++) {
        const t = now();
        await c.run();
        times.push(now() - t);
      }
      out.push({ name: c.name, ms: median(times) });
    } catch (err) {
      out.push({ name: c.name, error: `failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` });
    }
  }
  return out;
}

function pickOnly(name: string, measured: Measured[]): { chosen: string; why: string } {
  const others = measured.filter((m) => m.name !== name).map((m) => `${m.name}: ${m.error}`);
  return { chosen: name, why: `the only one that runs here${others.length ? ` (${others.join('; ')})` : ''}` };
}

/** The fastest measured candidate (ties: the earlier, i.e. preferred, one) and a sentence saying why. */
export function pickFastest(measured: Measured[]): { chosen: string; why: string } | null {
  const ok = measured.filter((m) => m.ms !== undefined);
  if (ok.length === 0) return null;
  const best = ok.reduce((a, b) => (b.ms! < a.ms! ? b : a));
  if (ok.length === 1) return pickOnly(best.name, measured);
  const next = ok.filter((m) => m !== best).reduce((a, b) => (b.ms! < a.ms! ? b : a));
  return { chosen: best.name, why: `fastest measured: ${best.ms!.toFixed(1)} ms vs ${next.name} ${next.ms!.toFixed(1)} ms (${(next.ms! / Math.max(best.ms!, 1e-9)).toFixed(1)}× faster)` };
}

/**
 * The remembered choice for `task` when its fingerprint matches and the chosen candidate is still
 * available; otherwise measures, stores and returns a new one. Throws when no candidate runs.
 */
export async function chooseFastest(task: string, candidates: Candidate[], opts: ChooseOptions): Promise<Choice> {
  const runnable = candidates.filter((c) => !c.unavailable);
  // One candidate: nothing to compare, nothing to remember.
  if (runnable.length === 1 && !opts.remeasure) {
    const measured = candidates.map((c) => (c.unavailable ? { name: c.name, error: c.unavailable } : { name: c.name }));
    return { task, ...pickOnly(runnable[0].name, measured), measured, fingerprint: opts.fingerprint, at: new Date().toISOString() };
  }
  const stored = opts.remeasure ? undefined : opts.store.read(task);
  const stillThere = stored && runnable.some((c) => c.name === stored.chosen);
  if (stored && stored.fingerprint === opts.fingerprint && stillThere) return { ...stored, fromCache: true };
  const measured = await measureCandidates(candidates, opts.repeats ?? 3, opts.now);
  const pick = pickFastest(measured);
  if (!pick) throw new Error(`No ${task} provider runs here (${measured.map((m) => `${m.name}: ${m.error}`).join('; ')}).`);
  const choice: Choice = { task, ...pick, measured, fingerprint: opts.fingerprint, at: new Date().toISOString() };
  opts.store.write(choice);
  return choice;
}

/** Choices kept in one JSON file ({ [task]: Choice }); an unreadable file counts as empty. */
export function fileChoiceStore(file: string): ChoiceStore {
  const readAll = (): Record<string, Choice> => {
    try {
      return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, Choice>) : {};
    } catch {
      return {};
    }
  };
  return {
    read: (task) => readAll()[task],
    write: (choice) => {
      const all = { ...readAll(), [choice.task]: { ...choice, fromCache: undefined } };
      // Written beside and renamed: a crash never leaves half a file.
      const tmp = `${file}.${process.pid}.tmp`;
      try {
        makeDirs(dirname(file));
        writeFileSync(tmp, JSON.stringify(all, null, 2));
        renameSync(tmp, file);
      } catch {
        // Only a cache (the next start measures again): a full or read-only data folder must not stop the work.
        rmSync(tmp, { force: true });
      }
    },
  };
}
