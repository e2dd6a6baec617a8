import path from 'node:path';
import { loadConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { DataDirBusyError } from './db/data-dir-lock.js';
import { findSnapshot, listSnapshots, restoreSnapshot } from './db/snapshots.js';
import { runLedgerVerification } from './jobs/sweeps.js';
import { prepareDatabase } from './prepare-database.js';

const say = (message: string) => process.stdout.write(`${message}\n`);
const complain = (message: string) => process.stderr.write(`${message}\n`);

/**
 * `restore <snapshot>`: embedded mode puts a daily snapshot back in place of the database, with
 * the server stopped, then checks every ledger of the restored data. PostgreSQL installs restore
 * with pg_restore (docs/OPERATIONS.md).
 */
export const restoreCommand = async (wanted: string | undefined): Promise<void> => {
  const config = loadConfig();
  if (config.database.kind === 'postgres') {
    complain(
      'restore 只用于内置数据库；PostgreSQL 请用 pg_restore（见 docs/OPERATIONS.md）。\nrestore is for the embedded database; on PostgreSQL use pg_restore (docs/OPERATIONS.md).',
    );
    process.exitCode = 2;
    return;
  }
  const snapshots = await listSnapshots(config.snapshots.folder);
  const file = wanted ? await findSnapshot(config.snapshots.folder, wanted) : undefined;
  if (!file) {
    complain(wanted ? `没有找到快照 / no such snapshot: ${wanted}` : 'Usage: yuehui restore <snapshot file | name | YYYY-MM-DD>');
    complain(
      snapshots.length > 0
        ? `快照 / snapshots in ${config.snapshots.folder}:\n${snapshots.map((snapshot) => `  ${snapshot.name}  ${snapshot.takenAt.toISOString()}`).join('\n')}`
        : `没有快照 / no snapshots in ${config.snapshots.folder}`,
    );
    process.exitCode = 2;
    return;
  }
  try {
    const { previous } = await restoreSnapshot({ dataDir: config.dataDir, pgdata: config.database.dataDir, snapshot: file, now: new Date() });
    say(`restored ${path.basename(file)} into ${config.database.dataDir}`);
    if (previous) say(`the data it replaced is kept in ${previous} (delete it once the restored data is checked)`);
  } catch (error) {
    if (error instanceof DataDirBusyError) {
      complain(`restore refused: ${error.message}`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
  const database = await openDatabase({ kind: 'pglite', dataDir: config.database.dataDir });
  try {
    // An older snapshot gets the migrations the server would apply on start, so the check reads today's schema.
    await prepareDatabase(database);
    const problems = await runLedgerVerification(database.db);
    for (const problem of problems) say(`${problem.tenantId} ${problem.customerId} ${problem.problem}: ${problem.detail}`);
    say(problems.length === 0 ? 'verify-ledgers on the restored data: no problems' : `verify-ledgers on the restored data: ${problems.length} problem(s)`);
    if (problems.length > 0) process.exitCode = 1;
  } finally {
    await database.close();
  }
};
