import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompressAssets } from '../scripts/precompress.js';
import { buildApp } from './app.js';
import type { Database } from './db/client.js';
import type { App } from './platform/http.js';
import { openTestDatabase } from './testing/database.js';

let database: Database;
let app: App;
let dist: string;

/** A hashed bundle as Vite writes it: large enough to be pre-compressed. */
const bundle = `export const pages = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => `page ${i}`))};\n`;
const tinyAsset = 'export const x = 1;\n';

beforeAll(async () => {
  database = await openTestDatabase();
  dist = await mkdtemp(path.join(os.tmpdir(), 'web-routes-'));
  for (const [folder, marker] of [
    ['console', 'staff console'],
    ['portal', 'member portal'],
  ] as const) {
    await mkdir(path.join(dist, folder, 'assets'), { recursive: true });
    await writeFile(path.join(dist, folder, 'index.html'), `<!doctype html><title>${marker}</title>`);
    await writeFile(path.join(dist, folder, 'assets', 'index-AbC123xy.js'), `// ${marker}\n${bundle}`);
    await writeFile(path.join(dist, folder, 'assets', 'tiny-Zz9.js'), tinyAsset);
    // Vite's manifest (read by scripts/web-size.ts) is written beside the app but never served.
    await mkdir(path.join(dist, folder, '.vite'), { recursive: true });
    await writeFile(path.join(dist, folder, '.vite', 'manifest.json'), JSON.stringify({ 'index.html': { file: 'assets/index-AbC123xy.js' } }));
    await precompressAssets(path.join(dist, folder));
  }
  app = await buildApp({ database, webDistDir: dist });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await database.close();
  await rm(dist, { recursive: true, force: true });
});

const pageAt = async (url: string) => (await app.inject({ method: 'GET', url, headers: { accept: 'text/html' } })).body;
const get = (url: string, acceptEncoding?: string) =>
  app.inject({ method: 'GET', url, headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } });

describe('web pages on reload', () => {
  it('serves the console for its own routes, even those starting with m, and the portal under /m/ only', async () => {
    for (const route of ['/', '/membership', '/membership/tiers', '/marketing', '/customers/123']) {
      expect(await pageAt(route), route).toContain('staff console');
    }
    for (const route of ['/m', '/m/', '/m/wallet', '/m/invite?code=x']) {
      expect(await pageAt(route), route).toContain('member portal');
    }
  });
});

describe('compressed assets', () => {
  it('sends the brotli copy to a browser that accepts it, gzip to one that accepts only gzip, the file itself otherwise', async () => {
    for (const [prefix, marker] of [
      ['', 'staff console'],
      ['/m', 'member portal'],
    ] as const) {
      const url = `${prefix}/assets/index-AbC123xy.js`;
      const expected = `// ${marker}\n${bundle}`;

      const br = await get(url, 'gzip, deflate, br, zstd');
      expect(br.statusCode, url).toBe(200);
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.headers['content-type']).toMatch(/javascript/);
      expect(br.headers.vary).toMatch(/accept-encoding/i);
      expect(br.rawPayload.length).toBeLessThan(expected.length / 2);
      expect(brotliDecompressSync(br.rawPayload).toString()).toBe(expected);

      const gz = await get(url, 'gzip');
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gz.headers.vary).toMatch(/accept-encoding/i);
      expect(gunzipSync(gz.rawPayload).toString()).toBe(expected);

      for (const plain of [await get(url), await get(url, 'identity')]) {
        expect(plain.headers['content-encoding']).toBeUndefined();
        expect(plain.headers.vary).toMatch(/accept-encoding/i);
        expect(plain.body).toBe(expected);
      }
    }
  });

  it('sends a file too small to be worth compressing as it is', async () => {
    const tiny = await get('/assets/tiny-Zz9.js', 'br, gzip');
    expect(tiny.statusCode).toBe(200);
    expect(tiny.headers['content-encoding']).toBeUndefined();
    expect(tiny.body).toBe(tinyAsset);
  });
});

describe('caching', () => {
  it('keeps the hashed files under assets/ for a year, immutable', async () => {
    for (const url of ['/assets/index-AbC123xy.js', '/assets/tiny-Zz9.js', '/m/assets/index-AbC123xy.js']) {
      for (const encoding of ['br', 'gzip', undefined]) {
        expect((await get(url, encoding)).headers['cache-control'], `${url} ${encoding}`).toBe('public, max-age=31536000, immutable');
      }
    }
  });

  it('has index.html revalidated on every load, wherever it is served from, with the security headers kept', async () => {
    for (const url of ['/', '/index.html', '/customers/123', '/membership', '/m/', '/m/wallet']) {
      const response = await get(url, 'br, gzip');
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type'], url).toMatch(/text\/html/);
      expect(response.headers['cache-control'], url).toBe('no-cache');
      expect(response.headers['content-security-policy'], url).toContain("script-src 'self'");
    }
  });

  it('answers 404 for an asset that does not exist, not the page, and does not serve the build manifest', async () => {
    for (const url of ['/assets/gone-123.js', '/.vite/manifest.json', '/m/.vite/manifest.json']) {
      const missing = await get(url, 'br');
      expect(missing.statusCode, url).toBe(404);
      expect(missing.headers['content-type'], url).toMatch(/json/);
    }
  });
});
