import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { type Executor, queryRows } from '../../db/client.js';
import { type Actor, writeAudit } from '../../platform/audit.js';
import { DomainError } from '../../platform/errors.js';
import { hasTxScope, putScoped, scoped } from '../../platform/tx-scope.js';
import { tenantSettings } from './tables.js';

/** A setting: its key, its schema and its default. Values are validated on the way in and out. */
export type SettingDefinition<T> = { key: string; schema: z.ZodType<T>; defaults: T; label: string };

export const defineSetting = <T>(definition: SettingDefinition<T>) => definition;

const scopeKey = (tenantId: string, key: string) => `setting:${tenantId}:${key}`;

/**
 * In a flow's transaction scope: every setting of the tenant in one statement, so the flow's
 * steps read each setting from memory instead of one statement per read.
 */
export const preloadSettings = async (tx: Executor, tenantId: string): Promise<void> => {
  if (!hasTxScope(tx)) return;
  const rows = await queryRows<{ key: string; value: unknown }>(tx, sql`select key, value from ${tenantSettings} where tenant_id = ${tenantId}`);
  putScoped(tx, `settings-loaded:${tenantId}`, true);
  for (const row of rows) putScoped(tx, scopeKey(tenantId, row.key), { value: row.value });
};

const readSettingRow = async (tx: Executor, tenantId: string, key: string): Promise<{ value: unknown } | undefined> =>
  scoped(tx, scopeKey(tenantId, key), async () => {
    // Preloaded and absent: the tenant never saved this setting.
    if (await scoped(tx, `settings-loaded:${tenantId}`, async () => false)) return undefined;
    // Read by most writes: a plain statement, no query building on the hot path.
    const [row] = await queryRows<{ value: unknown }>(tx, sql`select value from ${tenantSettings} where tenant_id = ${tenantId} and key = ${key}`);
    return row;
  });

export const getSetting = async <T>(tx: Executor, tenantId: string, setting: SettingDefinition<T>): Promise<T> => {
  const row = await readSettingRow(tx, tenantId, setting.key);
  if (!row) return setting.defaults;
  const parsed = setting.schema.safeParse(row.value);
  // A stored value that no longer parses (a field added since) falls back field by field to the defaults.
  return parsed.success ? parsed.data : { ...setting.defaults, ...(row.value as object) };
};

/**
 * Validates and saves a setting, audited with its value before and after — or, for a setting that
 * holds sealed secrets, with `audit`: what may be written instead (never the secret nor its seal).
 */
export const putSetting = async <T>(
  tx: Executor,
  actor: Actor,
  setting: SettingDefinition<T>,
  value: T,
  options: { audit?: { action: string; before: unknown; after: unknown } } = {},
): Promise<T> => {
  const parsed = setting.schema.safeParse(value);
  if (!parsed.success) {
    throw new DomainError(
      'invalid',
      'SETTING_INVALID',
      `${setting.label}设置有误`,
      parsed.error.issues.map((issue) => ({ path: ['body', ...issue.path].join('.'), message: issue.message })),
    );
  }
  const before = await getSetting(tx, actor.tenantId, setting);
  await tx
    .insert(tenantSettings)
    .values({ tenantId: actor.tenantId, key: setting.key, value: parsed.data as object, updatedBy: actor.id })
    .onConflictDoUpdate({
      target: [tenantSettings.tenantId, tenantSettings.key],
      set: { value: parsed.data as object, updatedBy: actor.id, updatedAt: new Date() },
    });
  putScoped(tx, scopeKey(actor.tenantId, setting.key), { value: parsed.data });
  await writeAudit(
    tx,
    actor,
    options.audit
      ? { action: options.audit.action, entityType: `setting:${setting.key}`, before: options.audit.before, after: options.audit.after }
      : { action: 'settings.update', entityType: `setting:${setting.key}`, before, after: parsed.data },
  );
  return parsed.data;
};
