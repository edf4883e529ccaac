#!/usr/bin/env node
// `triplet-studio` CLI: registers tsx (Node-side code is TypeScript run from source) and starts the CLI.
import { register } from 'tsx/esm/api';

register();
await import('../src/main/cli/index.ts');
