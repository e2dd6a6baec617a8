import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { businessDate } from '../platform/clock.js';
import { lockDataDir } from './data-dir-lock.js';

export const defaultSnapshotsKept = 7;

const snapshotName = /^yuehui-\d{4}-\d{2}-\d{2}\.tar\.gz$/;

export type Snapshot = { file: string; name: string; takenAt: Date };

/** The snapshots in a folder, newest first (none when the folder does not exist yet). */
export const listSnapshots = async (folder: string): Promise<Snapshot[]> => {
  const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  const snapshots = await Promise.all(
    names
      .filter((name) => snapshotName.test(name))
      .map(async (name) => {
        const file = path.join(folder, name);
        // The file is renamed into place once complete, so its modification time is when it was taken.
        return { file, name, takenAt: (await stat(file)).mtime };
      }),
  );
  // Names carry the business date, so they sort by day; the time breaks no ties within a day (one per day).
  return snapshots.sort((a, b) => b.name.localeCompare(a.name));
};

/** The newest snapshot, if any. */
export const lastSnapshot = async (folder: string): Promise<Snapshot | undefined> => (await listSnapshots(folder))[0];

/** Deletes all but the newest `kept` snapshots; returns the names deleted. */
export const pruneSnapshots = async (folder: string, kept: number): Promise<string[]> => {
  const old = (await listSnapshots(folder)).slice(Math.max(1, kept));
  for (const snapshot of old) await rm(snapshot.file, { force: true });
  return old.map((snapshot) => snapshot.name);
};

export type DailySnapshotOptions = { timeZone?: string; kept?: number };

/**
 * Embedded mode keeps a daily snapshot of its data (PGlite does not fsync, so an OS crash can
 * lose recent commits; a snapshot bounds the loss). One file per business day; the newest
 * `kept` are kept (YUEHUI_SNAPSHOTS_KEPT), pruned on every call so a lowered setting applies at once.
 */
export const takeDailySnapshot = async (
  pglite: PGlite,
  folder: string,
  now: Date,
  { timeZone = 'Asia/Shanghai', kept = defaultSnapshotsKept }: DailySnapshotOptions = {},
): Promise<string | undefined> => {
  await mkdir(folder, { recursive: true });
  const file = path.join(folder, `yuehui-${businessDate(now, timeZone)}.tar.gz`);
  const existing = await readdir(folder);
  let written: string | undefined;
  if (!existing.includes(path.basename(file))) {
    const dump = await pglite.dumpDataDir('gzip');
    await writeFile(`${file}.partial`, Buffer.from(await dump.arrayBuffer()));
    await rm(file, { force: true });
    await rename(`${file}.partial`, file);
    written = file;
  }
  await pruneSnapshots(folder, kept);
  return written;
};

/**
 * A snapshot named on the command line: a path to the file, its name in the snapshots folder,
 * or its day (`2026-12-06`). Undefined when none matches.
 */
export const findSnapshot = async (folder: string, wanted: string): Promise<string | undefined> => {
  const candidates = [path.resolve(wanted), path.join(folder, wanted), path.join(folder, `yuehui-${wanted}.tar.gz`)];
  for (const candidate of candidates) {
    const found = await stat(candidate).catch(() => undefined);
    if (found?.isFile()) return candidate;
  }
  return undefined;
};

export type RestoreOptions = {
  /** Where the lock file lives (YUEHUI_DATA_DIR). */
  dataDir: string;
  /** The embedded database's own folder (YUEHUI_DATA_DIR/pgdata). */
  pgdata: string;
  snapshot: string;
  now: Date;
};

/**
 * Replaces the embedded database with a snapshot. Refuses while a server holds the data folder
 * (two processes on one PGlite folder corrupt it). The current data is moved aside, not deleted
 * (`pgdata.before-restore-<time>`), and moved back if the snapshot cannot be loaded.
 */
export const restoreSnapshot = async ({ dataDir, pgdata, snapshot, now }: RestoreOptions): Promise<{ previous: string | undefined }> => {
  const lock = await lockDataDir(dataDir, 'restore');
  try {
    // Read first: a missing or unreadable file fails before anything is moved.
    const archive = await readFile(snapshot);
    const hasCurrent = await stat(pgdata).then(
      () => true,
      () => false,
    );
    const previous = hasCurrent ? `${pgdata}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}` : undefined;
    if (previous) await rename(pgdata, previous);
    try {
      await mkdir(pgdata, { recursive: true });
      const pglite = new PGlite(pgdata, { loadDataDir: new Blob([archive]) });
      await pglite.waitReady;
      await pglite.query('select 1');
      await pglite.close();
    } catch (error) {
      await rm(pgdata, { recursive: true, force: true });
      if (previous) await rename(previous, pgdata);
      throw error;
    }
    return { previous };
  } finally {
    await lock.release();
  }
};
