// `npm run bench`: every benchmark in one run, each printing its own table with ratios between
// the alternatives it compares. Figures, not pass/fail: targets are stated next to them.
// `long` benches (minutes to tens of minutes) run only when named: `npm run bench -- accuracy`.
type Bench = { name: string; long?: boolean; load: () => Promise<() => Promise<unknown>> };

const BENCHES: Bench[] = [
  { name: 'import', load: async () => (await import('./import.js')).runImportBench },
  { name: 'features', load: async () => (await import('./features.js')).runFeaturesBench },
  { name: 'embed-cli', load: async () => (await import('./embed-cli.js')).runEmbedCliBench },
  { name: 'engines', long: true, load: async () => (await import('./engines.js')).runEnginesBench },
  { name: 'embed-scale', long: true, load: async () => (await import('./embed-scale.js')).runEmbedScaleBench },
  { name: 'ml', load: async () => (await import('./ml.js')).runMlBench },
  { name: 'ipc', load: async () => (await import('./ipc.js')).runIpcBench },
  { name: 'neighbours', load: async () => (await import('./neighbours.js')).runNeighboursBench },
  { name: 'triplet-list', load: async () => (await import('./triplet-list.js')).runTripletListBench },
  { name: 'runs-now', load: async () => (await import('./runs-now.js')).runRunsNowBench },
  { name: 'startup', load: async () => (await import('./startup.js')).runStartupBench },
  { name: 'missing-files', load: async () => (await import('./missing-files.js')).runMissingFilesBench },
  { name: 'remove-images', long: true, load: async () => (await import('./remove-images.js')).runRemoveImagesBench },
  { name: 'triplets-big', long: true, load: async () => (await import('./triplets-big.js')).runTripletsBigBench },
  { name: 'preprocess', long: true, load: async () => (await import('./preprocess.js')).runPreprocessBench },
  { name: 'accuracy', long: true, load: async () => (await import('./accuracy.js')).runAccuracyBench },
  { name: 'scale', long: true, load: async () => (await import('./scale.js')).runScaleBench },
  { name: 'train-engine', long: true, load: async () => (await import('./train-engine.js')).runTrainEngineBench },
  { name: 'map', long: true, load: async () => (await import('./map.js')).runMapBench },
  { name: 'accuracy-mining', long: true, load: async () => (await import('./accuracy-mining.js')).runMiningBench },
  { name: 'epochs-real', long: true, load: async () => (await import('./epochs-real.js')).runEpochsReal },
  { name: 'accuracy-transform', long: true, load: async () => (await import('./accuracy-transform.js')).runTransformBench },
  { name: 'suggest', long: true, load: async () => (await import('./suggest.js')).runSuggestBench },
  { name: 'audit', long: true, load: async () => (await import('./audit.js')).runAuditBench },
  { name: 'audit-workers', long: true, load: async () => (await import('./audit-workers.js')).runAuditWorkersBench },
  { name: 'train-big-project', long: true, load: async () => (await import('./train-big-project.js')).runTrainBigProjectBench },
  { name: 'train-stream', long: true, load: async () => (await import('./train-stream.js')).runTrainStreamBench },
  { name: 'durability', load: async () => (await import('./durability.js')).runDurabilityBench },
  { name: 'audit-refresh', long: true, load: async () => (await import('./audit-refresh.js')).runAuditRefreshBench },
  { name: 'leak-complete', long: true, load: async () => (await import('./leak-complete.js')).runLeakCompleteBench },
  { name: 'audit-duplicates', long: true, load: async () => (await import('./audit-duplicates.js')).runAuditDuplicatesBench },
  { name: 'history-scale', long: true, load: async () => (await import('./history-scale.js')).runHistoryScaleBench },
];

async function main(): Promise<void> {
  const only = process.argv.slice(2).filter((a) => !a.startsWith('--')); // flags are for the benches
  let failed = 0;
  for (const bench of BENCHES) {
    if (only.length ? !only.includes(bench.name) : bench.long) continue;
    console.log(`\n##### ${bench.name}`);
    const started = performance.now();
    try {
      const run = await bench.load();
      await run();
    } catch (err) {
      failed++;
      console.error(`${bench.name} benchmark failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    console.log(`(${bench.name}: ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
  process.exitCode = failed ? 1 : 0;
}

await main();

export {};
