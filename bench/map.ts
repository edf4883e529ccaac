// `npm run bench -- map`: embedding-map projection time on generated clustered data (20 Gaussian
// clusters), as the app computes it (worker thread): PCA and UMAP at 768-d (raw MobileNet features)
// and 10-d (an encoder's output), and the 5-NN cluster agreement in 2-D on a sample (chance 0.05).
// Sizes: MAP_BENCH_SIZES=20000,100000 (default). UMAP above 25,000 points fits a 25,000 sample and
// places the rest with umap-js's transform.
import { project2d, type ProjectionMethod } from '../src/main/ml/projection/index.js';
import { seededRandom } from '../src/main/ml/encoder/rng.js';

const CLUSTERS = 20;

function clustered(n: number, d: number, seed: number): { data: Float32Array; label: Int32Array } {
  const rand = seededRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const centres = Array.from({ length: CLUSTERS }, () => Float32Array.from({ length: d }, () => gauss() * 2));
  const data = new Float32Array(n * d);
  const label = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(rand() * CLUSTERS);
    label[i] = c;
    for (let t = 0; t < d; t++) data[i * d + t] = centres[c][t] + gauss();
  }
  return { data, label };
}

/** 5-NN label agreement in 2-D over 500 sampled points (brute force against all). */
function agreement(xy: Float32Array, label: Int32Array): number {
  const n = label.length;
  const rand = seededRandom(9);
  let same = 0;
  const S = 500;
  for (let s = 0; s < S; s++) {
    const i = Math.floor(rand() * n);
    const best: { d: number; j: number }[] = [];
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const d = (xy[i * 2] - xy[j * 2]) ** 2 + (xy[i * 2 + 1] - xy[j * 2 + 1]) ** 2;
      if (best.length < 5 || d < best[4].d) {
        best.push({ d, j });
        best.sort((a, b) => a.d - b.d);
        if (best.length > 5) best.pop();
      }
    }
    same += best.filter((b) => label[b.j] === label[i]).length;
  }
  return same / (S * 5);
}

export async function runMapBench(): Promise<void> {
  const sizes = (process.env.MAP_BENCH_SIZES ?? '20000,100000').split(',').map(Number);
  const dims = (process.env.MAP_BENCH_DIMS ?? '768,10').split(',').map(Number);
  const methods = (process.env.MAP_BENCH_METHODS ?? 'pca,umap').split(',') as ProjectionMethod[];
  console.log('points\tdim\tmethod\twall s\tCPU s\t5-NN agreement (chance 0.05)\tphases (wall s)');
  for (const n of sizes) {
    for (const d of dims) {
      const { data, label } = clustered(n, d, 1);
      for (const method of methods) {
        const started = performance.now();
        // CPU time of the process (the worker's, the main thread only waits): comparable under load.
        const cpu0 = process.cpuUsage();
        const phases: string[] = [];
        let phase = '';
        const xy = await project2d(method, data.slice(), n, d, {
          onProgress: (p) => {
            if (p.phase !== phase) (phase = p.phase), phases.push(`${p.phase}@${((performance.now() - started) / 1000).toFixed(1)}`);
          },
        });
        const s = (performance.now() - started) / 1000;
        const cpu = process.cpuUsage(cpu0);
        console.log(`${n}\t${d}\t${method}\t${s.toFixed(1)}\t${((cpu.user + cpu.system) / 1e6).toFixed(1)}\t${agreement(xy, label).toFixed(3)}\t${phases.join(' ')}`);
      }
    }
  }
}
