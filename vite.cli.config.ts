import { defineConfig } from 'vite';

// The `netlens` command: one ESM file for Node, with its npm dependencies left as imports.
export default defineConfig({
  build: {
    ssr: 'src/cli/main.ts',
    outDir: 'dist-cli',
    emptyOutDir: true,
    minify: false,
    target: 'node20',
    rolldownOptions: {
      output: { entryFileNames: 'netlens.mjs', format: 'es' },
    },
  },
});
