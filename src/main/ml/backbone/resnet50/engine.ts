// Engine hook for resnet50 (see ENGINE_MODULES in ../registry.ts): prepares the folder (h5 → tfjs
// layers, once) and declines, so the ONNX engine or the built-in tfjs loader runs the model.
import { registerEngineFactory } from '../registry.js';
import { ensureResNet50Folder } from './install.js';

registerEngineFactory('resnet50', async (ctx) => {
  await ensureResNet50Folder(ctx.dir);
  return null;
});
