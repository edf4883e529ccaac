// The shared flowers set as the engine tests use it without a project: every photo with an id (in
// folder, then file order) and train.txt / test.txt as id triplets.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { flowersDir } from './shared.js';

export interface FlowersImage {
  id: number;
  path: string;
  name: string;
}

/** A triplet file of the flowers set as [a, p, n] ids; an unknown name fails naming its file and line. */
function readTriplets(file: string, idOf: Map<string, number>): [number, number, number][] {
  return readFileSync(join(flowersDir(), file), 'utf8')
    .trim()
    .split('\n')
    .map((line, i) => {
      const ids = line.trim().split(/\s+/).map((n) => idOf.get(n));
      if (ids.length !== 3 || ids.some((x) => x === undefined)) throw new Error(`${file}:${i + 1}: unknown image in "${line}"`);
      return ids as [number, number, number];
    });
}

/** The flowers photos (ids from 1) and their train and test triplets. */
export function flowersTriplets(): { images: FlowersImage[]; train: [number, number, number][]; test: [number, number, number][] } {
  const root = join(flowersDir(), 'images');
  const images: FlowersImage[] = [];
  for (const c of readdirSync(root).sort()) for (const f of readdirSync(join(root, c)).sort()) images.push({ id: images.length + 1, path: join(root, c, f), name: f });
  const idOf = new Map(images.map((im) => [im.name, im.id]));
  return { images, train: readTriplets('train.txt', idOf), test: readTriplets('test.txt', idOf) };
}
