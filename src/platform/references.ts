import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db/client.js';
import { DomainError } from './errors.js';
import type { App } from './http.js';

/** Which table an id field of a request body or query names, by the field's name (`storeId`, `itemIds` …), and what its rows are called. */
export type ReferenceTables = Readonly<Record<string, { table: string; name: string }>>;

type Reference = { path: string; table: string; name: string; id: string };

const isUuid = (value: unknown): value is string => typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

/** Every id under `value` held by a field the map knows, with its path (`body.lines.0.itemId`). */
const referencesIn = (value: unknown, path: string, tables: ReferenceTables): Reference[] => {
  if (Array.isArray(value)) return value.flatMap((item, index) => referencesIn(item, `${path}.${index}`, tables));
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) => {
    const target = Object.hasOwn(tables, key) ? tables[key] : undefined;
    const here = `${path}.${key}`;
    if (target && isUuid(item)) return [{ path: here, ...target, id: item }];
    if (target && Array.isArray(item)) return item.flatMap((id, index) => (isUuid(id) ? [{ path: `${here}.${index}`, ...target, id }] : []));
    return referencesIn(item, here, tables);
  });
};

/**
 * Every id a request's body or query names must be a row of the caller's clinic: checked once,
 * for every /api/v1 operation, after validation and before the route runs (so before any write),
 * in one statement. Another clinic's id and an unknown one get the same answer — 404 naming the
 * field — so the answer never tells whether a row exists elsewhere. Path ids are each route's own
 * lookup (its `get…` answers 404).
 */
export const installReferenceGuard = (app: App, db: Db, tables: ReferenceTables) => {
  app.addHook('preHandler', async (req) => {
    if (!req.auth || !req.routeOptions.url?.startsWith('/api/v1/')) return;
    const references = [...referencesIn(req.query, 'query', tables), ...referencesIn(req.body, 'body', tables)];
    if (references.length === 0) return;
    const byTable = new Map<string, Set<string>>();
    for (const reference of references) byTable.set(reference.table, (byTable.get(reference.table) ?? new Set()).add(reference.id.toLowerCase()));
    const lookups = [...byTable].map(
      ([table, ids]) =>
        sql`select ${table}::text as table_name, id::text as id from ${sql.identifier(table)} where tenant_id = ${req.auth?.tenantId}::uuid and id = any(${`{${[...ids].join(',')}}`}::uuid[])`,
    );
    const rows = await queryRows<{ table_name: string; id: string }>(db, sql.join(lookups, sql` union all `));
    const found = new Set(rows.map((row) => `${row.table_name}:${row.id}`));
    const missing = references.filter((reference) => !found.has(`${reference.table}:${reference.id.toLowerCase()}`));
    if (missing.length > 0) {
      throw new DomainError(
        'not_found',
        'REFERENCE_NOT_FOUND',
        '引用的记录不存在',
        missing.map((reference) => ({ path: reference.path, message: `${reference.name}不存在` })),
      );
    }
  });
};
