// 0007: a run records what its validation used: images held out, validation triplets (all three
// images held out) and training triplets left unused because they mix held-out and training images.
import type { Migration } from './index.js';

export const migration0007: Migration = {
  version: 7,
  name: 'run-validation',
  sql: `
ALTER TABLE runs ADD COLUMN validation TEXT;
`,
};
