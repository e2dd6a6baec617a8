import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Db, Tx } from '../../db/client.js';
import { type App, actorOf, authOf, errorResponses } from '../../platform/http.js';
import type { Permission } from '../../platform/permissions.js';
import { getSetting, putSetting, type SettingDefinition } from './service.js';

const tags = ['Settings'];

export type ExposedSetting<T> = {
  path: string;
  setting: SettingDefinition<T>;
  schema: z.ZodType;
  summary: string;
  /** Who may read it, when not everyone who reads orders (e.g. those who see the message log). */
  readPermission?: Permission;
  /** Runs in the transaction that saved the value, e.g. to re-label customers under new thresholds. */
  afterSave?: (tx: Tx, req: FastifyRequest, value: T) => Promise<void>;
};

/**
 * GET and PUT for one clinic setting under /settings/…: every module that owns a setting
 * exposes it through here, so reading needs `orders.read` (unless the setting names another) and changing `settings.manage` alike.
 */
export const exposeSetting = <T>(app: App, db: Db, { path, setting, schema, summary, readPermission = 'orders.read', afterSave }: ExposedSetting<T>) => {
  app.get(path, { config: { permission: readPermission }, schema: { tags, summary, response: { 200: schema, ...errorResponses } } }, async (req) =>
    getSetting(db, authOf(req).tenantId, setting),
  );
  app.put(
    path,
    {
      config: { permission: 'settings.manage' },
      schema: { tags, summary: `Change: ${summary}`, body: schema, response: { 200: schema, ...errorResponses } },
    },
    async (req) =>
      db.transaction(async (tx) => {
        const value = await putSetting(tx, actorOf(req), setting, req.body as T);
        if (afterSave) await afterSave(tx, req, value);
        return value;
      }),
  );
};
