import type { Executor } from '../db/client.js';
import { createTier, type TierInput } from '../modules/membership/index.js';
import { pointsSettingsSetting } from '../modules/points/index.js';
import { getSetting, putSetting } from '../modules/settings/index.js';
import { assertPasswordAcceptable, createStaffUser, type StaffUser } from '../modules/staff/index.js';
import { createStore, createTenant, type Store, type Tenant } from '../modules/tenants/index.js';
import { systemActor, writeAudit } from '../platform/audit.js';

/** The tier every clinic starts with: 普通会员, reached by becoming a member, no thresholds. */
export const defaultTier: TierInput = {
  name: '普通会员',
  description: '首次消费即成为会员，享积分累计与术后护理提醒。',
  criteria: { match: 'any', growth: null, consumptionFen: null, visits: null, topUpFen: null },
  retention: 're_evaluate',
  benefits: { categoryDiscounts: [], birthday: null, isPriorityBooking: false, hasDedicatedConsultant: false, upgradeGifts: [], pointsBasisPoints: 10_000 },
};

export type CreateClinicInput = {
  code: string;
  name: string;
  timezone: string;
  stores: { name: string; address?: string | null; phone?: string | null }[];
  owner?: { username: string; displayName: string; password: string };
  now: Date;
  /** The demo brings its own tiers (from `defaultTier` up) after its customers, and earns points from the start. */
  defaults?: { isTierCreated?: boolean; isPointsEnabled?: boolean };
};

/**
 * 开设诊所 (the setup page, `create-clinic`, the demo): the clinic, its stores and its owner, with
 * sensible defaults — the fixed roles need nothing, one tier (普通会员), and points switched off
 * until the owner configures them, so no customer earns under rules nobody chose.
 * Everything in the caller's transaction: a refusal leaves nothing half-created.
 */
export const createClinic = async (tx: Executor, input: CreateClinicInput): Promise<{ tenant: Tenant; stores: Store[]; owner: StaffUser | undefined }> => {
  if (input.owner) assertPasswordAcceptable(input.owner.password, 'body.owner.password', { username: input.owner.username, tenantCode: input.code });
  const tenant = await createTenant(tx, { code: input.code, name: input.name, timezone: input.timezone });
  const actor = systemActor(tenant.id);
  const stores: Store[] = [];
  for (const store of input.stores) stores.push(await createStore(tx, tenant.id, store));
  await writeAudit(tx, actor, {
    action: 'clinic.create',
    entityType: 'tenant',
    entityId: tenant.id,
    after: { code: tenant.code, name: tenant.name, timezone: tenant.timezone, stores: stores.map((store) => store.name) },
  });
  const owner = input.owner && (await createStaffUser(tx, actor, { ...input.owner, role: 'owner', storeIds: null }));
  if (input.defaults?.isTierCreated ?? true) await createTier(tx, actor, defaultTier, input.now);
  if (!input.defaults?.isPointsEnabled) {
    const points = await getSetting(tx, tenant.id, pointsSettingsSetting);
    await putSetting(tx, actor, pointsSettingsSetting, { ...points, isEnabled: false });
  }
  return { tenant, stores, owner };
};
