// Simulated candidates for the choice by measurement (src/main/ml/backend/choose.ts): engines on a
// shared fake clock and an in-memory choice store, for the tests of the training and feature choices.
import type { Candidate, Choice, ChoiceStore } from '../../src/main/ml/backend/choose.js';

/** Candidates that take `ms` per run on a fake clock (an Error: fails; a string: unavailable); counts their runs. */
export function simulated(costs: Record<string, number | Error | string>) {
  let t = 0;
  const runs: Record<string, number> = {};
  const candidates: Candidate[] = Object.entries(costs).map(([name, cost]) => ({
    name,
    unavailable: typeof cost === 'string' ? cost : undefined,
    run: async () => {
      runs[name] = (runs[name] ?? 0) + 1;
      if (cost instanceof Error) throw cost;
      t += cost as number;
    },
  }));
  return { candidates, runs, now: () => t };
}

/** A choice store in memory that counts its writes. */
export function memoryStore(): ChoiceStore & { writes: number; data: Record<string, Choice> } {
  const s = { writes: 0, data: {} as Record<string, Choice>, read: (task: string) => s.data[task], write: (c: Choice) => void ((s.data[c.task] = c), s.writes++) };
  return s;
}
