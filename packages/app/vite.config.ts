import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig, type ProxyOptions } from 'vite';

// Paths the backend serves; in development they are forwarded to it.
const BACKEND_PATHS = ['/api', '/healthz', '/readyz', '/metrics'];
const backendUrl = process.env.ATRIUM_BACKEND_URL ?? 'http://localhost:7007';
// The backend refuses API calls from other web origins; a page of this dev server is the
// backend's own app, so its Origin is rewritten to the backend's (other origins pass unchanged).
const configure: ProxyOptions['configure'] = (proxy) => {
  proxy.on('proxyReq', (proxyReq, req) => {
    const origin = req.headers.origin;
    if (origin && URL.canParse(origin) && new URL(origin).host === req.headers.host) proxyReq.setHeader('origin', new URL(backendUrl).origin);
  });
};
const proxy: Record<string, ProxyOptions> = Object.fromEntries(BACKEND_PATHS.map((path) => [path, { target: backendUrl, changeOrigin: true, configure }]));

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
