import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * One process at a time on the embedded data folder: PGlite takes no lock of its own, and two
 * processes writing one folder corrupt it. The holder writes its pid to `yuehui.lock`; a lock
 * whose process is gone (a crash, a power cut) is stale and taken over.
 */
export const lockFileName = 'yuehui.lock';

export type LockHolder = { pid: number; purpose: string; since: string };

export class DataDirBusyError extends Error {
  constructor(
    readonly holder: LockHolder,
    readonly lockFile: string,
  ) {
    super(
      `数据目录正被另一个进程使用（${holder.purpose}，进程 ${holder.pid}，自 ${holder.since}）；请先停止它。` +
        `\nThe data folder is in use by another process (${holder.purpose}, pid ${holder.pid}, since ${holder.since}); stop it first. ` +
        `If no such process runs, delete ${lockFile}.`,
    );
    this.name = 'DataDirBusyError';
  }
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const readHolder = async (file: string): Promise<LockHolder | undefined> => {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const holder = JSON.parse(text) as Partial<LockHolder>;
    return typeof holder.pid === 'number' ? { pid: holder.pid, purpose: String(holder.purpose), since: String(holder.since) } : undefined;
  } catch {
    return undefined;
  }
};

/** The live process holding the data folder, if any. */
export const dataDirHolder = async (dataDir: string): Promise<LockHolder | undefined> => {
  const holder = await readHolder(path.join(dataDir, lockFileName));
  return holder && isAlive(holder.pid) ? holder : undefined;
};

export type DataDirLock = { release: () => Promise<void> };

/** Takes the data folder for this process (`purpose`: server, restore); throws DataDirBusyError while another live process holds it. */
export const lockDataDir = async (dataDir: string, purpose: string): Promise<DataDirLock> => {
  await mkdir(dataDir, { recursive: true });
  const file = path.join(dataDir, lockFileName);
  const mine: LockHolder = { pid: process.pid, purpose, since: new Date().toISOString() };
  // Written whole beside it, then linked into place: link fails if the lock exists, so of two
  // processes starting together one wins, and no one ever reads a half-written lock.
  const draft = `${file}.${process.pid}`;
  await writeFile(draft, JSON.stringify(mine));
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await link(draft, file);
        return {
          release: async () => {
            const holder = await readHolder(file);
            if (holder?.pid === process.pid) await rm(file, { force: true });
          },
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const holder = await readHolder(file);
        if (holder && holder.pid !== process.pid && isAlive(holder.pid)) throw new DataDirBusyError(holder, file);
        // Stale (its process is gone) or unreadable: take it over.
        await rm(file, { force: true });
      }
    }
    throw new Error(`could not lock ${file}`);
  } finally {
    await rm(draft, { force: true });
  }
};
