import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
// `npx vite web` serves the console with hot reload against a polystack on :8080.
const target = process.env['POLYSTACK_URL'] ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: here,
  base: '/client/',
  plugins: [react()],
  build: { outDir: fileURLToPath(new URL('../dist/web', import.meta.url)), emptyOutDir: true, reportCompressedSize: false },
  server: { proxy: { '/client/api': target, '/_polystack': target } },
});
