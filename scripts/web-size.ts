import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/**
 * The console's first load from the last build (dist/web/console and Vite's manifest): the
 * JavaScript the login page loads (index.html's entry and its static imports) plus the dashboard's
 * chunk and its imports, gzip 9 and brotli 11, as the server sends them. `tsx scripts/web-size.ts`.
 */
type Manifest = Record<string, { file: string; imports?: string[]; dynamicImports?: string[]; isEntry?: boolean }>;

const repoDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const consoleDir = path.join(repoDir, 'dist', 'web', 'console');

const main = async () => {
  const manifest = JSON.parse(await readFile(path.join(consoleDir, '.vite', 'manifest.json'), 'utf8')) as Manifest;
  const loaded = new Set<string>();
  const load = (key: string) => {
    if (loaded.has(key)) return;
    loaded.add(key);
    for (const imported of manifest[key]?.imports ?? []) load(imported);
  };
  const entry = Object.keys(manifest).find((key) => manifest[key]?.isEntry);
  const dashboard = Object.keys(manifest).find((key) => key.endsWith('dashboard/dashboard-page.tsx'));
  if (!entry || !dashboard) throw new Error('no entry or dashboard page in the manifest: build the web apps first');
  load(entry);
  const loginKeys = new Set(loaded);
  load(dashboard);
  const rows = await Promise.all(
    [...loaded].map(async (key) => {
      const content = await readFile(path.join(consoleDir, manifest[key]?.file ?? ''));
      return {
        file: manifest[key]?.file ?? key,
        screen: loginKeys.has(key) ? 'login' : 'dashboard',
        raw: content.length,
        gzip: gzipSync(content, { level: 9 }).length,
        brotli: brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY } }).length,
      };
    }),
  );
  rows.sort((a, b) => b.gzip - a.gzip);
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  for (const row of rows)
    console.log(`${row.screen.padEnd(9)} ${row.file.padEnd(48)} ${kb(row.raw).padStart(10)} ${kb(row.gzip).padStart(10)} ${kb(row.brotli).padStart(10)}`);
  const sum = (pick: (row: (typeof rows)[number]) => number) => rows.reduce((total, row) => total + pick(row), 0);
  console.log(`first load: ${rows.length} files, ${kb(sum((row) => row.raw))} raw, ${kb(sum((row) => row.gzip))} gzip, ${kb(sum((row) => row.brotli))} brotli`);
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
