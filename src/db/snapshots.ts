import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { businessDate } from '../platform/clock.js';

export const snapshotsKept = 7;

/**
 * Embedded mode keeps a daily snapshot of its data (PGlite does not fsync, so an OS crash can
 * lose recent commits; a snapshot bounds the loss). One file per day, the last 7 kept.
 */
export const takeDailySnapshot = async (pglite: PGlite, folder: string, now: Date, timeZone = 'Asia/Shanghai'): Promise<string | undefined> => {
  await mkdir(folder, { recursive: true });
  const file = path.join(folder, `yuehui-${businessDate(now, timeZone)}.tar.gz`);
  const existing = await readdir(folder);
  if (existing.includes(path.basename(file))) return undefined;
  const dump = await pglite.dumpDataDir('gzip');
  await writeFile(`${file}.partial`, Buffer.from(await dump.arrayBuffer()));
  await rm(file, { force: true });
  await rename(`${file}.partial`, file);
  const snapshots = (await readdir(folder)).filter((name) => /^yuehui-\d{4}-\d{2}-\d{2}\.tar\.gz$/.test(name)).sort();
  for (const old of snapshots.slice(0, Math.max(0, snapshots.length - snapshotsKept))) await rm(path.join(folder, old), { force: true });
  return file;
};
