import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The designer is served by the runtime at `/` (SPA fallback), so paths are absolute.
 * Monaco is only reached through a dynamic import; the `monaco` group keeps it (and its CSS)
 * in one lazily loaded chunk so the main bundle stays small.
 */
export default defineConfig({
  base: '/',
  plugins: [react()],
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The lazy monaco chunk is large by nature; the main chunk is what we keep an eye on.
    chunkSizeWarningLimit: 5000,
    rolldownOptions: {
      output: {
        // Required with includeDependenciesRecursively: false so modules still run in import order.
        strictExecutionOrder: true,
        codeSplitting: {
          groups: [
            {
              name: 'monaco',
              test: /node_modules[\\/](monaco-editor|@monaco-editor)[\\/]/,
              // Otherwise helpers shared with the entry (vite's preload helper) are pulled into this
              // chunk and the entry would import, and preload, all of monaco.
              includeDependenciesRecursively: false,
            },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: { '/api': 'http://localhost:8080' },
  },
});
