// 0008: an index on the feature cache by key, so "how many vectors has this backbone, weights and
// preprocessing" (the similarity search's staleness check, store/similar-reads.ts) reads the index
// instead of every cached vector (the table's primary key starts with the content hash).
import type { Migration } from './index.js';

export const migration0008: Migration = {
  version: 8,
  name: 'feature-key-index',
  sql: `
CREATE INDEX IF NOT EXISTS feature_cache_key ON feature_cache(backbone, weights, preprocessing);
`,
};
