// Numbered migrations, applied in order inside one transaction each; PRAGMA user_version records the last.
import { migration0001 } from './0001-init.js';
import { migration0002 } from './0002-kept.js';
import { migration0007 } from './0007-run-validation.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0007];
