import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type UserConfig } from 'vite';

/**
 * The two web apps, each its own Vite build:
 * - console (staff, antd) at `/`, built to dist/web/console;
 * - portal (members, antd-mobile) at `/m/`, built to dist/web/portal.
 * `scripts/build-web.ts` builds both through `viteConfigFor`; this file's default export is for
 * the dev server: `npx vite` serves the console, `npx vite --mode portal` the portal, both
 * proxying /api to the backend on YUEHUI_API_PORT (default 3000).
 */
export const webApps = ['console', 'portal'] as const;
export type WebApp = (typeof webApps)[number];

const repoDir = path.dirname(fileURLToPath(import.meta.url));
const bases: Record<WebApp, string> = { console: '/', portal: '/m/' };
const devPorts: Record<WebApp, number> = { console: 5173, portal: 5174 };

export const viteConfigFor = (app: WebApp, outDir = path.join(repoDir, 'dist', 'web', app)): UserConfig => ({
  root: path.join(repoDir, 'web', app),
  base: bases[app],
  plugins: [react()],
  // Nothing to copy verbatim, and no .env files: the web apps take no build-time settings.
  publicDir: false,
  envDir: false,
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    // antd and antd-mobile are large; one vendor chunk per app is expected.
    chunkSizeWarningLimit: 2000,
    reportCompressedSize: false,
  },
  server: {
    port: devPorts[app],
    strictPort: true,
    proxy: { '/api': `http://localhost:${process.env.YUEHUI_API_PORT ?? 3000}` },
  },
});

export default defineConfig(({ mode }) => viteConfigFor(mode === 'portal' ? 'portal' : 'console'));
