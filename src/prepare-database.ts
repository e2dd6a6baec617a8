import { type Database, migrateDatabase } from './db/client.js';
import { seedHolidayCalendar } from './modules/points/index.js';

/**
 * Brings a database up to date for the app: the SQL migrations in order, then the reference
 * data, the public-holiday calendar of every year the package publishes. Safe on every start.
 */
export const prepareDatabase = async (database: Database, today = new Date()): Promise<void> => {
  await migrateDatabase(database);
  const year = today.getUTCFullYear();
  await seedHolidayCalendar(
    database.db,
    Array.from({ length: year - 2018 }, (_, index) => 2020 + index),
  );
};
