import { crx } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { randomUUID } from 'node:crypto';
import { defineConfig } from 'vite';
import manifest from './manifest.json' with { type: 'json' };

export default defineConfig({
  plugins: [
    preact(),
    crx({
      manifest: manifest as never,
      // Both content scripts must run before the page's first script: no async loader.
      contentScripts: { standaloneFiles: ['src/content/page/main.ts', 'src/content/relay.ts'] },
    }),
  ],
  // The page script's realm-joining event (src/content/page/patch.ts) and the page → relay
  // handshake (src/shared/protocol.ts HANDSHAKE_EVENT): names no page can know.
  define: {
    __NETLENS_REALM_EVENT__: JSON.stringify(`netlens-realm-${randomUUID()}`),
    __NETLENS_HANDSHAKE_EVENT__: JSON.stringify(`netlens-handshake-${randomUUID()}`),
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    minify: false,
    sourcemap: false,
    rolldownOptions: {
      // Referenced only from code (chrome.devtools.panels.create), so named here.
      input: { panel: 'src/devtools/panel.html' },
    },
  },
  server: { port: 5173, strictPort: true, hmr: false },
});
