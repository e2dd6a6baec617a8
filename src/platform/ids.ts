import { sql } from 'drizzle-orm';
import { v7 } from 'uuid';

/** Time-ordered UUIDv7: safe to generate on any instance, and index-friendly. */
export const newId = (): string => v7();

/** A time-ordered UUIDv7 made in SQL, like `newId()` (its milliseconds from the server's clock, as newId's from the process's): for set-based inserts. */
export const sqlNewId = sql.raw(
  `encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) from 3) from 1 for 6), 52, 1), 53, 1), 'hex')::uuid`,
);

export const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
