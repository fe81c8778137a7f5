import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = path.dirname(fileURLToPath(import.meta.url));

// Two entries: the staff console (index.html) and the customer portal (portal.html, its own small bundle).
export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: path.join(root, 'dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      input: {
        index: path.join(root, 'index.html'),
        portal: path.join(root, 'portal.html'),
      },
      output: {
        // stable, named vendor chunks: React is shared by both entries, ECharts only by the pages that draw charts
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    // KEYWARD_API points the dev/preview proxy at another server (default: the usual local one)
    proxy: { '/api': { target: process.env.KEYWARD_API ?? 'http://127.0.0.1:3000', changeOrigin: false } },
  },
});
