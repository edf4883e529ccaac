// Starts the real browser-mode server around the fake service (see fake-service.ts) and prints
import { startServer } from '../../../src/main/server/index.js';
import { createFakeService } from './fake-service.js';
import { flowersDir, repoRoot } from '../../helpers/shared.js';
import { join } from 'node:path';

const images = Number(process.env.FAKE_IMAGES ?? 100_000);
const fake = createFakeService({ images, flowersDir: flowersDir(), historyDelayMs: Number(process.env.FAKE_HISTORY_DELAY_MS ?? 0) });
const server = await startServer({
  dataDir: process.env.FAKE_DATA ?? '/nonexistent',
  staticDir: join(repoRoot, 'dist', 'renderer'),
  createService: () => fake,
});
console.log(`Fake studio: ${server.url}`);
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
