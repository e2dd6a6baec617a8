import { createHash } from 'node:crypto';
import { access, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { precompressAssets } from './precompress.js';

/**
 * Builds the console and the portal with Vite when their sources changed since the last build.
 * `npm start` calls `ensureWebBuilt()`; `tsx scripts/build-web.ts` forces a build.
 */
const repoDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where the built apps live: `console/` (served at /) and `portal/` (served at /m/). */
export const webDistDir = path.join(repoDir, 'dist', 'web');

const stampFile = path.join(webDistDir, '.stamp');
const webSourceDir = path.join(repoDir, 'web');
/**
 * Besides web/**: the build's own configuration, the lockfile (a new antd means a new bundle), and
 * the pure server files the web imports (voucher titles, so the console's preview is the server's).
 */
const extraInputs = [
  'vite.config.ts',
  'scripts/build-web.ts',
  'scripts/precompress.ts',
  'package-lock.json',
  'src/modules/vouchers/title.ts',
  'src/platform/errors.ts',
];

const listFiles = async (dir: string): Promise<string[]> => {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : listFiles(full);
      return entry.isFile() ? [full] : [];
    }),
  );
  return nested.flat();
};

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

/** One hash over the path and content of every input, in a stable order. */
const hashInputs = async (): Promise<string> => {
  const extra = extraInputs.map((file) => path.join(repoDir, file));
  const files = [...(await listFiles(webSourceDir)), ...(await Promise.all(extra.map(async (file) => ((await exists(file)) ? file : null))))]
    .filter((file): file is string => file !== null)
    .map((file) => path.relative(repoDir, file).split(path.sep).join('/'))
    .sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(file).update('\0');
    hash.update(await readFile(path.join(repoDir, file))).update('\0');
  }
  return hash.digest('hex');
};

const readStamp = async () => (await readFile(stampFile, 'utf8').catch(() => '')).trim();

const isUpToDate = async (hash: string, apps: readonly string[]) =>
  (await readStamp()) === hash && (await Promise.all(apps.map((app) => exists(path.join(webDistDir, app, 'index.html'))))).every(Boolean);

/**
 * Vite sets process.env.NODE_ENV for the build when it is unset, and builds React in development
 * mode when it says "development". Build with "production" and give the server back its own value.
 */
const withProductionNodeEnv = async <T>(work: () => Promise<T>): Promise<T> => {
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    return await work();
  } finally {
    if (previous === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = previous;
  }
};

export async function ensureWebBuilt(opts: { force?: boolean; log?: (msg: string) => void } = {}): Promise<{ built: boolean }> {
  const log = opts.log ?? (() => {});
  // Imported here so that a server whose build is current never loads Vite.
  const { webApps, viteConfigFor } = await import('../vite.config.js');
  const hash = await hashInputs();
  if (!opts.force && (await isUpToDate(hash, webApps))) return { built: false };

  log('building web console and portal (Vite) …');
  const startedAt = Date.now();
  const { build } = await import('vite');
  // Build beside the live output and swap in at the end, so a failed build leaves the old one.
  const stagingDir = path.join(repoDir, 'dist', `.web-build-${process.pid}-${startedAt}`);
  try {
    await withProductionNodeEnv(async () => {
      for (const app of webApps) {
        await build({ ...viteConfigFor(app, path.join(stagingDir, app)), configFile: false, mode: 'production', logLevel: 'warn' });
      }
    });
    for (const app of webApps) await precompressAssets(path.join(stagingDir, app));
    await mkdir(webDistDir, { recursive: true });
    for (const app of webApps) {
      await rm(path.join(webDistDir, app), { recursive: true, force: true });
      await rename(path.join(stagingDir, app), path.join(webDistDir, app));
    }
    await writeFile(stampFile, `${hash}\n`);
  } finally {
    await rm(stagingDir, { recursive: true, force: true });
  }
  log(`web built in ${((Date.now() - startedAt) / 1000).toFixed(1)} s → ${path.relative(repoDir, webDistDir)}`);
  return { built: true };
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  ensureWebBuilt({ force: true, log: (message) => console.log(message) }).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
