// Packaging cannot run here (no Electron download), so check what can be: electron-builder's own
// schema accepts the config, native modules are unpacked from the asar, the icon is right, and
// package.json points at the bundle the build script writes.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { repoRoot } from '../../helpers/shared.js';

const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const config = yaml.load(readFileSync(join(repoRoot, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;

test('electron-builder.yml passes electron-builder’s schema', async () => {
  const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
    validateConfiguration(c: unknown, log: unknown): Promise<void>;
  };
  await validateConfiguration(config, { add() {}, isEnabled: false });
  await assert.rejects(validateConfiguration({ ...config, notAnOption: 1 }, { add() {}, isEnabled: false }), /notAnOption/);
  assert.equal(config.productName, 'Triplet Studio');
  const targets = (k: string) => JSON.stringify((config[k] as { target: unknown }).target);
  assert.match(targets('linux'), /AppImage/);
  assert.match(targets('linux'), /deb/);
  assert.match(targets('win'), /nsis/);
  assert.match(targets('mac'), /dmg/);
});

test('native modules are unpacked from app.asar', () => {
  const unpack = (config.asarUnpack as string[]).join('\n');
  for (const pkg of ['better-sqlite3', 'sharp', '@img', '@tensorflow/tfjs-node', 'onnxruntime-node']) {
    assert.ok(unpack.includes(`node_modules/${pkg}/`), pkg);
  }
  assert.match(unpack, /tfjs-backend-wasm\/\*\*\/\*\.wasm/);
});

test('package.json main is the bundled Electron entry, icon is a 512×512 PNG', async () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { main: string; scripts: Record<string, string> };
  assert.equal(pkg.main, 'dist/electron/main.cjs');
  for (const s of ['start', 'serve', 'build:electron', 'dist']) assert.ok(pkg.scripts[s], s);
  assert.ok((config.files as string[]).some((f) => f.startsWith('dist/electron')));
  const meta = await sharp(join(repoRoot, 'assets', 'icon.png')).metadata();
  assert.deepEqual([meta.format, meta.width, meta.height], ['png', 512, 512]);
  assert.ok(existsSync(join(repoRoot, 'assets', 'icon.svg')));
});

test('Electron fuses are set for packaging (and electron-builder flips each of them)', async () => {
  assert.deepEqual(config.electronFuses, {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    grantFileProtocolExtraPrivileges: false,
  });
  // The installed electron-builder turns the config into @electron/fuses options: every key maps to a
  // real fuse with the value we asked for (an unsupported key would be dropped silently).
  const { PlatformPackager } = require('app-builder-lib') as {
    PlatformPackager: { prototype: { generateFuseConfig(f: unknown): Promise<Record<string | number, unknown>> } };
  };
  const { FuseV1Options, FuseVersion } = require('@electron/fuses') as { FuseV1Options: Record<string, number>; FuseVersion: Record<string, string> };
  const fuses = await PlatformPackager.prototype.generateFuseConfig.call({}, config.electronFuses);
  assert.equal(fuses.version, FuseVersion.V1);
  assert.equal(fuses[FuseV1Options.RunAsNode], false);
  assert.equal(fuses[FuseV1Options.EnableCookieEncryption], true);
  assert.equal(fuses[FuseV1Options.EnableNodeOptionsEnvironmentVariable], false);
  assert.equal(fuses[FuseV1Options.EnableNodeCliInspectArguments], false);
  assert.equal(fuses[FuseV1Options.EnableEmbeddedAsarIntegrityValidation], true);
  assert.equal(fuses[FuseV1Options.OnlyLoadAppFromAsar], true);
  assert.equal(fuses[FuseV1Options.GrantFileProtocolExtraPrivileges], false);
  // Nothing in the app relies on ELECTRON_RUN_AS_NODE, which RunAsNode off disables.
  const main = readFileSync(join(repoRoot, 'src', 'main', 'electron', 'main.ts'), 'utf8');
  assert.doesNotMatch(main, /ELECTRON_RUN_AS_NODE|child_process/);
});
