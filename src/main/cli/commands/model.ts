// `encode` and `export-model`: a run's encodings and model for use outside the app.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { matrixFiles } from '../../project/matrix-files.js';
import { action, interruptSignal, numberArg, optionsOf, output, progressBar, refuseToReplace, withProject } from '../output.js';

export function register(program: Command): void {
  program
    .command('encode')
    .description("write every image's encoding by a run (default: the latest finished) to FILE: .csv (name,e0,…) or .npy (+ FILE.names.txt)")
    .argument('<dir>', 'project folder')
    .requiredOption('--out <file>', 'output file, .csv or .npy')
    .option('--run <id>', 'run id', numberArg('run', true, 1))
    .option('--force', 'replace FILE (and FILE.names.txt) if it exists')
    .action(
      action(async (dir: string, _o: unknown, cmd: Command) => {
        const given = optionsOf<{ out: string; run?: number; force?: boolean }>(cmd);
        // Absolute from here on, so the report names the files as every other command does.
        const opts = { ...given, out: resolve(given.out) };
        refuseToReplace(dir, matrixFiles(opts.out), opts.force);
        const bar = progressBar();
        const interrupt = interruptSignal();
        try {
          const r = await withProject(dir, (p) => p.encode(opts.out, opts.run, { signal: interrupt.signal, onProgress: bar.onProgress }));
          bar.stop();
          output(opts.json, r, () =>
            [
              `Wrote ${r.images} encodings (${r.dim}-d, run ${r.run}; compare them with the ${r.distance} distance) to ${r.files.join(' and ')}`,
              ...(r.leftOut.length ? [`Left out ${r.leftOut.length} images without features: ${r.leftOut.slice(0, 10).join(', ')}${r.leftOut.length > 10 ? ', …' : ''}`] : []),
            ].join('\n'),
          );
        } finally {
          bar.stop();
          interrupt.dispose();
        }
      }),
    );

  program
    .command('export-model')
    .description('export a run (default: the latest finished): --onnx FILE (backbone + encoder, image in, encoding out) and/or --tfjs DIR (the encoder)')
    .argument('<dir>', 'project folder')
    .option('--run <id>', 'run id', numberArg('run', true, 1))
    .option('--onnx <file>', 'one ONNX file: input "image" [N,224,224,3] RGB 0–255 (resized), output "encoding" [N,dim]')
    .option('--tfjs <dir>', 'tfjs layers encoder (backbone features in), one model per ensemble member, encoder.json')
    .option('--force', 'replace the ONNX file or an earlier tfjs export if they exist')
    .action(
      action(async (dir: string, _o: unknown, cmd: Command) => {
        const given = optionsOf<{ run?: number; onnx?: string; tfjs?: string; force?: boolean }>(cmd);
        const opts = { ...given, onnx: given.onnx && resolve(given.onnx), tfjs: given.tfjs && resolve(given.tfjs) };
        refuseToReplace(dir, [opts.onnx], opts.force, [opts.tfjs]);
        const r = await withProject(dir, (p) => p.exportModel(opts.run, { onnx: opts.onnx, tfjs: opts.tfjs }));
        output(opts.json, r, () =>
          [
            ...(r.onnx ? [`Wrote ${r.onnx.file} (${(r.onnx.bytes / 1e6).toFixed(1)} MB): input "image" [N, ${r.preprocessing.size}, ${r.preprocessing.size}, 3], output "encoding" [N, ${r.onnx.dim}]`] : []),
            ...(r.tfjs ? [`Wrote the tfjs encoder to ${r.tfjs.dir} (${r.tfjs.members} member${r.tfjs.members > 1 ? 's' : ''}, see encoder.json)`] : []),
            `Preprocessing: resize to ${r.preprocessing.size}×${r.preprocessing.size} ${r.preprocessing.resize}; ${r.preprocessing.exif}; ${r.preprocessing.values}. Distance: ${r.preprocessing.distance}.`,
          ].join('\n'),
        );
      }),
    );
}
