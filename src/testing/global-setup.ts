import { openDatabase } from '../db/client.js';
import { prepareDatabase } from '../prepare-database.js';

/**
 * With DATABASE_URL set, the database suites run against that PostgreSQL server: migrate it
 * once here, before the test files start in parallel. Without it, each file uses its own
 * in-memory PGlite (see testing.ts).
 */
export default async function setup() {
  const url = process.env.DATABASE_URL;
  if (!url) return;
  const database = await openDatabase({ kind: 'postgres', url, poolSize: 1 });
  try {
    await prepareDatabase(database);
  } finally {
    await database.close();
  }
}
