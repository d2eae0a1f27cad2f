import { crx } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import manifest from './manifest.json' with { type: 'json' };

/**
 * The content scripts are built from manifest.json's content_scripts (crx builds them), but the
 * built manifest leaves them out: the service worker registers them itself, without the sites the
 * user switched off (src/background/scope.ts), which manifest scripts cannot do.
 */
const registeredContentScripts = (): Plugin => {
  let manifestPath = '';
  return {
    name: 'netlens:registered-content-scripts',
    enforce: 'post',
    configResolved(config) {
      manifestPath = resolve(config.root, config.build.outDir, 'manifest.json');
    },
    // After crx wrote the manifest and built the standalone scripts.
    closeBundle: {
      order: 'post',
      handler() {
        const built = JSON.parse(readFileSync(manifestPath, 'utf8')) as { content_scripts?: { js: string[] }[] };
        const js = (built.content_scripts ?? []).flatMap((s) => s.js);
        if (!js.includes('src/content/relay.js') || !js.includes('src/content/page/main.js')) {
          throw new Error(`netlens: content scripts built as ${js.join(', ')}; src/background/scope.ts expects src/content/relay.js and src/content/page/main.js`);
        }
        delete built.content_scripts;
        writeFileSync(manifestPath, JSON.stringify(built, null, 2));
      },
    },
  };
};

export default defineConfig({
  plugins: [
    preact(),
    crx({
      manifest: manifest as never,
      // Both content scripts must run before the page's first script: no async loader.
      contentScripts: { standaloneFiles: ['src/content/page/main.ts', 'src/content/relay.ts'] },
    }),
    registeredContentScripts(),
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
