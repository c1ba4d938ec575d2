// The dashboard's build: web/ → dist/web, served by the service at `/` (src/dashboard/web.ts).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = fileURLToPath(new URL('.', import.meta.url));
// The Clario `npx vite web` proxies to (CLARIO_URL, or the default listen address).
const clario = process.env.CLARIO_URL ?? 'http://127.0.0.1:3001';

export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    // Small enough that one module is fine; the CSP allows no inline script, so no inlined assets either.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
  server: {
    // `npx vite web` during development: the API, the sign-in and connect flows and /ws stay on the service.
    proxy: { '/api': clario, '/signin': clario, '/connect': clario, '/ws': { target: clario, ws: true } },
  },
});
