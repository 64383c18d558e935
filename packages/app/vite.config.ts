import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig, type ProxyOptions } from 'vite';

// Paths the backend serves; in development they are forwarded to it.
const BACKEND_PATHS = ['/api', '/healthz', '/readyz', '/metrics'];
const backendUrl = process.env.ATRIUM_BACKEND_URL ?? 'http://localhost:7007';
const proxy: Record<string, ProxyOptions> = Object.fromEntries(
  BACKEND_PATHS.map((path) => [path, { target: backendUrl, changeOrigin: true }]),
);

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  // Workspace packages export TypeScript source under the "source" condition.
  resolve: { conditions: ['source', ...defaultClientConditions] },
  server: { proxy },
  preview: { proxy },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
  },
});
