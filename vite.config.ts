// Vite build for the renderer (Svelte 5). Output goes to dist/renderer with relative asset
// paths so the same files load from app://studio/ (Electron) and http://127.0.0.1:PORT/ (browser mode).
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('./src/renderer', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/renderer', import.meta.url));
/** `npm run dev:renderer` proxies /ws and /media to a running `npm run serve` (STUDIO_SERVER=http://127.0.0.1:PORT). */
const server = process.env.STUDIO_SERVER;

export default defineConfig({
  root,
  base: './',
  plugins: [svelte()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    // The CSP forbids inline scripts: never inline the module-preload polyfill or small assets as data: scripts.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
  },
  server: server
    ? { proxy: { '/ws': { target: server.replace(/^http/, 'ws'), ws: true }, '/media': server } }
    : undefined,
});
