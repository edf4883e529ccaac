// Boots a TypeScript worker: registers tsx inside this worker thread, then loads the real entry.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.__entry);
