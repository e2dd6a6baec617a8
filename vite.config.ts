import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin, type UserConfig } from 'vite';

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

/**
 * `import { Button, Table } from 'antd'` rewritten to `import Button from 'antd/es/button'` …:
 * through antd's index every component counts as imported by the first screen, and the bundler
 * then puts code only later pages use (Table, DatePicker …) in chunks the first screen loads.
 * The names come from antd's own index (`export { default as Button } from './button'`), so an
 * unknown name is left to the index rather than guessed.
 */
const antdPerComponentImports = (): Plugin => {
  const antdIndex = createRequire(import.meta.url).resolve('antd/es/index.js');
  const folders = new Map<string, string>();
  for (const [, name, folder] of readFileSync(antdIndex, 'utf8').matchAll(/export \{ default as (\w+) \} from '\.\/([\w-]+)';/g)) {
    if (name && folder) folders.set(name, folder);
  }
  const antdImport = /import\s*\{([^}]*)\}\s*from\s*["']antd["'];?/g;
  return {
    name: 'yuehui:antd-per-component-imports',
    transform(code, id) {
      if (id.includes('/node_modules/') || !/\.[jt]sx?$/.test(id.split('?')[0] ?? '') || !code.includes('antd')) return null;
      let changed = false;
      const out = code.replace(antdImport, (statement, list: string) => {
        const kept: string[] = [];
        const split: string[] = [];
        for (const specifier of list
          .split(',')
          .map((one) => one.trim())
          .filter(Boolean)) {
          const [name = '', local = name] = specifier.split(/\s+as\s+/);
          const folder = folders.get(name);
          if (folder) split.push(`import ${local} from 'antd/es/${folder}/index.js';`);
          else kept.push(specifier);
        }
        if (split.length === 0) return statement;
        changed = true;
        return [...split, ...(kept.length > 0 ? [`import { ${kept.join(', ')} } from 'antd';`] : [])].join('\n');
      });
      return changed ? { code: out, map: null } : null;
    },
  };
};

export const viteConfigFor = (app: WebApp, outDir = path.join(repoDir, 'dist', 'web', app)): UserConfig => ({
  root: path.join(repoDir, 'web', app),
  base: bases[app],
  plugins: [react(), antdPerComponentImports()],
  // Nothing to copy verbatim, and no .env files: the web apps take no build-time settings.
  publicDir: false,
  envDir: false,
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    // What each entry and lazy page loads (dist/web/<app>/.vite/manifest.json, not served): the size check reads it.
    manifest: true,
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
