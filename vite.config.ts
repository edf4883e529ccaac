// Vite build for the renderer (Svelte 5). Output goes to dist/renderer with relative asset
// paths so the same files load from app://studio/ (Electron) and http://127.0.0.1:PORT/ (browser mode).
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('./src/renderer', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/renderer', import.meta.url));
/**
 * `npm run dev:renderer` with STUDIO_SERVER set to the address `npm run serve` prints
 * (http://127.0.0.1:PORT/?token=…) proxies /ws and /media to that server, presenting its token as
 * the session cookie and its own origin, so hot reload works against the real main side.
 */
const serverUrl = process.env.STUDIO_SERVER ? new URL(process.env.STUDIO_SERVER) : null;
function devProxy(url: URL) {
  const target = url.origin;
  const headers = { cookie: `ts_token=${url.searchParams.get('token') ?? ''}`, origin: target };
  return {
    '/ws': { target: target.replace(/^http/, 'ws'), ws: true, changeOrigin: true, headers },
    '/media': { target, changeOrigin: true, headers },
  };
}

export default defineConfig({
  root,
  base: './',
  plugins: [
    svelte(),
    {
      // The dev server injects styles and the HMR client inline; the strict CSP is for builds only.
      name: 'drop-csp-in-dev',
      apply: 'serve',
      transformIndexHtml: (html: string) => html.replace(/<meta\s+http-equiv="Content-Security-Policy"[\s\S]*?\/>/, ''),
    },
  ],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    // The CSP forbids inline scripts: never inline the module-preload polyfill or small assets as data: scripts.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
  },
  server: serverUrl ? { host: '127.0.0.1', proxy: devProxy(serverUrl) } : undefined,
});
