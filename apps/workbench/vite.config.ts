// The workbench build: React with Vite into dist/, which the server serves at /. Pages load lazily
// (their own chunks), so the first page carries only the shell, the client and the overview.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 4000 },
  // `npm run dev -w @esmon/workbench` against a server on :4000
  server: { proxy: { '/graphql': { target: 'http://127.0.0.1:4000', ws: true }, '/api': 'http://127.0.0.1:4000' } },
});
