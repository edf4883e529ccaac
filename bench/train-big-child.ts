// One training run of bench/train-big-project.ts in its own process, so its peak RSS is the run's
// alone (the store was built by the parent): opens the project as the CLI does, trains through
// Project.train, and prints one JSON line with the times, the peak RSS and the run's summary.
// argv: projectDir epochs [seed, default 1]
import { readFileSync } from 'node:fs';
import { Project } from '../src/main/project/project.js';

/** Peak resident set of this process so far (kB → MB), from /proc (Linux); null elsewhere. */
function vmHwmMb(): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const [dir, epochsArg, seedArg] = process.argv.slice(2);
  const epochs = Number(epochsArg);
  let peak = process.memoryUsage().rss;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const project = Project.open(dir);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let firstStep: number | null = null;
  let trainStart: number | null = null;
  let rssAtFirstStep: number | null = null;
  try {
    const run = await project.train(
      { epochs, seed: Number(seedArg ?? 1) },
      {
        onProgress: (p) => {
          if (p.phase !== 'train') return;
          trainStart ??= performance.now();
          if (firstStep === null && (p.batch ?? 0) >= 1) (firstStep = performance.now()), (rssAtFirstStep = process.memoryUsage().rss);
        },
      },
    );
    const c = process.cpuUsage(c0);
    const out = {
      seconds: (performance.now() - t0) / 1000,
      cpuSeconds: (c.user + c.system) / 1e6,
      firstStepSeconds: firstStep === null ? null : (firstStep - t0) / 1000,
      peakRssMb: Math.max(peak / 2 ** 20, vmHwmMb() ?? 0),
      sampledPeakRssMb: peak / 2 ** 20,
      rssAtFirstStepMb: rssAtFirstStep === null ? null : rssAtFirstStep / 2 ** 20,
      timings: run.timings,
      epochSeconds: run.epochs.map((e) => e.seconds),
      trainCount: run.trainCount,
      testAccuracy: run.testAccuracy,
      testCount: run.testCount,
      tripletSource: run.tripletSource,
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } finally {
    clearInterval(sample);
    project.close();
  }
}

await main();
