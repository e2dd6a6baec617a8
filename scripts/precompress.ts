import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Text assets worth compressing; images and fonts are compressed already. */
const compressible = new Set(['.js', '.mjs', '.css', '.html', '.svg', '.json']);
/** Below this a compressed copy saves less than a packet: the server sends the file as it is. */
export const precompressMinBytes = 1024;

const filesUnder = async (dir: string): Promise<string[]> => {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      // Dot folders (Vite's .vite/manifest.json) are not served.
      if (entry.name.startsWith('.')) return [];
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return filesUnder(full);
      return entry.isFile() ? [full] : [];
    }),
  );
  return nested.flat();
};

/**
 * Writes `<file>.br` (brotli, best quality) and `<file>.gz` (gzip, level 9) beside every text asset
 * of at least `precompressMinBytes` under `dir`, once at build, so the server sends compressed
 * bytes without compressing per request (@fastify/static `preCompressed`). Returns the files done.
 */
export const precompressAssets = async (dir: string): Promise<string[]> => {
  const done: string[] = [];
  for (const file of await filesUnder(dir)) {
    if (!compressible.has(path.extname(file)) || (await stat(file)).size < precompressMinBytes) continue;
    const content = await readFile(file);
    const [br, gz] = await Promise.all([
      brotli(content, {
        params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: content.length },
      }),
      gzipAsync(content, { level: 9 }),
    ]);
    await Promise.all([writeFile(`${file}.br`, br), writeFile(`${file}.gz`, gz)]);
    done.push(file);
  }
  return done;
};
