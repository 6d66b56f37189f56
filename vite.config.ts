import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Client assets of the web shell: web/src/main.ts (+ the CSS it imports) → dist/web/, with a
// manifest the server reads to link the hashed file names (src/web/assets.ts).
export default defineConfig({
  root: fileURLToPath(new URL('./web', import.meta.url)),
  base: '/',
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    manifest: true,
    target: 'es2020',
    rollupOptions: { input: fileURLToPath(new URL('./web/src/main.ts', import.meta.url)) },
  },
});
