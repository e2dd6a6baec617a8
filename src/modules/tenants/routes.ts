import { z } from 'zod';
import type { Deps } from '../../platform/deps.js';
import { DomainError } from '../../platform/errors.js';
import { type App, actorOf, authOf, errorResponses, ZIdParams } from '../../platform/http.js';
import { storeView, ZClinicProfile, ZClinicProfileRequest, ZLogoRequest, ZStore, ZStorePatch, ZStoreRequest } from './schemas.js';
import {
  closeStore,
  deleteClinicLogo,
  findClinicLogo,
  findTenantByCode,
  getTenant,
  hasClinicLogo,
  listStores,
  openStore,
  putClinicLogo,
  reopenStore,
  type Tenant,
  updateClinicProfile,
  updateStore,
} from './service.js';

const tags = ['Clinic & stores'];

const profileView = (tenant: Tenant, hasLogo: boolean) => ({
  code: tenant.code,
  name: tenant.name,
  timezone: tenant.timezone,
  contactPhone: tenant.contactPhone,
  address: tenant.address,
  receiptHeader: tenant.receiptHeader,
  receiptFooter: tenant.receiptFooter,
  businessDayStart: tenant.businessDayStart,
  hasLogo,
});

/** 设置 → 诊所 and 门店 (/api/v1). */
export const tenantRoutes = (app: App, deps: Deps) => {
  const { db, clock } = deps;

  app.get(
    '/settings/clinic',
    { config: { permission: 'settings.manage' }, schema: { tags, summary: "The clinic's profile", response: { 200: ZClinicProfile, ...errorResponses } } },
    async (req) => {
      const { tenantId } = authOf(req);
      return profileView(await getTenant(db, tenantId), await hasClinicLogo(db, tenantId));
    },
  );

  app.put(
    '/settings/clinic',
    {
      config: { permission: 'settings.manage' },
      schema: { tags, summary: "Change the clinic's profile", body: ZClinicProfileRequest, response: { 200: ZClinicProfile, ...errorResponses } },
    },
    async (req) => {
      const actor = actorOf(req);
      const tenant = await db.transaction((tx) => updateClinicProfile(tx, actor, req.body));
      return profileView(tenant, await hasClinicLogo(db, actor.tenantId));
    },
  );

  app.put(
    '/settings/clinic/logo',
    {
      config: { permission: 'settings.manage' },
      schema: {
        tags,
        summary: "Upload the clinic's logo (PNG, JPEG, WebP or GIF, at most 256 KB, base64 in JSON)",
        body: ZLogoRequest,
        response: { 200: z.object({ contentType: z.string(), size: z.number().int() }), ...errorResponses },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const bytes = new Uint8Array(Buffer.from(req.body.dataBase64, 'base64'));
      return db.transaction((tx) => putClinicLogo(tx, actor, bytes));
    },
  );

  app.delete(
    '/settings/clinic/logo',
    { config: { permission: 'settings.manage' }, schema: { tags, summary: "Remove the clinic's logo", response: { 204: z.null(), ...errorResponses } } },
    async (req, reply) => {
      const actor = actorOf(req);
      await db.transaction((tx) => deleteClinicLogo(tx, actor));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/stores',
    {
      config: { permission: 'authenticated' },
      schema: { tags, summary: "The clinic's stores, closed ones included", response: { 200: z.object({ items: z.array(ZStore) }), ...errorResponses } },
    },
    async (req) => ({ items: (await listStores(db, authOf(req).tenantId)).map(storeView) }),
  );

  app.post(
    '/stores',
    { config: { permission: 'settings.manage' }, schema: { tags, summary: 'Open a store', body: ZStoreRequest, response: { 201: ZStore, ...errorResponses } } },
    async (req, reply) => {
      const actor = actorOf(req);
      return reply.code(201).send(storeView(await db.transaction((tx) => openStore(tx, actor, req.body))));
    },
  );

  app.patch(
    '/stores/:id',
    {
      config: { permission: 'settings.manage' },
      schema: { tags, summary: "Change a store's name, address or phone", params: ZIdParams, body: ZStorePatch, response: { 200: ZStore, ...errorResponses } },
    },
    async (req) => {
      const actor = actorOf(req);
      return storeView(await db.transaction((tx) => updateStore(tx, actor, req.params.id, req.body)));
    },
  );

  app.post(
    '/stores/:id/close',
    {
      config: { permission: 'settings.manage' },
      schema: { tags, summary: 'Close a store (stores are never deleted)', params: ZIdParams, response: { 200: ZStore, ...errorResponses } },
    },
    async (req) => {
      const actor = actorOf(req);
      return storeView(await db.transaction((tx) => closeStore(tx, actor, req.params.id, clock.now())));
    },
  );

  app.post(
    '/stores/:id/reopen',
    {
      config: { permission: 'settings.manage' },
      schema: { tags, summary: 'Reopen a closed store', params: ZIdParams, response: { 200: ZStore, ...errorResponses } },
    },
    async (req) => {
      const actor = actorOf(req);
      return storeView(await db.transaction((tx) => reopenStore(tx, actor, req.params.id)));
    },
  );
};

/**
 * `/api/clinics/:code/logo`: public (the login page and the portal show it before anyone signs
 * in), served with its stored type and never sniffed.
 */
export const clinicLogoRoutes = (app: App, deps: Deps) => {
  app.get('/api/clinics/:code/logo', { schema: { hide: true, params: z.strictObject({ code: z.string().max(40) }) } }, async (req, reply) => {
    const tenant = await findTenantByCode(deps.db, req.params.code.toLowerCase());
    const logo = tenant && (await findClinicLogo(deps.db, tenant.id));
    if (!logo) throw new DomainError('not_found', 'LOGO_NOT_FOUND', '该诊所没有标志');
    return reply
      .type(logo.contentType)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'")
      .header('cache-control', 'public, max-age=60')
      .header('last-modified', logo.updatedAt.toUTCString())
      .send(Buffer.from(logo.bytes));
  });
};
