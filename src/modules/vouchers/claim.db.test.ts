import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.js';
import { systemActor } from '../../platform/audit.js';
import { makeCtx } from '../../platform/context.js';
import type { App } from '../../platform/http.js';
import { newId } from '../../platform/ids.js';
import { hashSecret, randomSecret } from '../../platform/passwords.js';
import { apiAs, buildTestApp, createTestTenant, loginAs, movableClock, openTestDatabase, randomMobile, type TestTenant } from '../../testing/database.js';
import { createCustomer } from '../customers/service.js';
import { customerSessions } from '../portal/tables.js';
import { claimLimits } from './portal-claim-routes.js';
import { customerVouchers } from './tables.js';
import { verifyVoucherLedgers } from './verify.js';

/**
 * 领券: a claim link's page before and after login, claiming within the stock and the
 * per-customer limit, 领券中心, and anti-harvesting limits — also under concurrency.
 */
let database: Database;
let app: App;
let clinic: TestTenant;
let other: TestTenant;
let owner: ReturnType<typeof apiAs>;
const clock = movableClock('2026-06-01T02:00:00Z');
let address = 0;

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildTestApp(database, { clock });
  clinic = await createTestTenant(database, 'Claim clinic');
  other = await createTestTenant(database, 'Other clinic');
  owner = apiAs(app, await loginAs(app, clinic, 'owner'));
});

afterAll(async () => {
  await app.close();
  await database.close();
});

const newCustomers = async (count: number, tenantId = clinic.id) =>
  database.db.transaction(async (tx) => {
    const ids: string[] = [];
    for (let index = 0; index < count; index++) {
      ids.push(
        (
          await createCustomer(tx, makeCtx(systemActor(tenantId), new Date(), 'Asia/Shanghai'), {
            name: `领券客户${index}`,
            gender: 'female',
            phone: randomMobile(),
          })
        ).id,
      );
    }
    return ids;
  });

/** A member session as the portal's SMS login opens it (cookie and CSRF token). */
const memberSession = async (customerId: string, tenantId = clinic.id) => {
  const secret = randomSecret();
  const session = {
    tenantId,
    id: newId(),
    customerId,
    secretHash: hashSecret(secret),
    csrfToken: randomSecret(24),
    createdAt: clock.now(),
    lastSeenAt: clock.now(),
    expiresAt: new Date(clock.now().getTime() + 86_400_000),
  };
  await database.db.insert(customerSessions).values(session);
  return { cookie: `yh_mid=${tenantId}.${session.id}.${secret}`, 'x-csrf-token': session.csrfToken };
};

/** Each claimant from her own phone's address, unless told otherwise. */
const claim = (code: string, headers: Record<string, string> | undefined, options: { key?: string; remoteAddress?: string } = {}) =>
  app.inject({
    method: 'POST',
    url: `/api/portal/v1/claims/${code}`,
    headers: { ...headers, 'idempotency-key': options.key ?? `claim-${randomSecret(8)}` },
    remoteAddress: options.remoteAddress ?? `10.${Math.floor(++address / 65_536) % 256}.${Math.floor(address / 256) % 256}.${address % 256}`,
    payload: {},
  });

const claimLink = async (templateOverrides: Record<string, unknown>, name = '领券活动') => {
  const template = await owner.post('/voucher-templates', {
    name: '小气泡清洁体验券',
    kind: 'cash_off',
    faceValueFen: 5_000,
    thresholdFen: 0,
    scope: { itemIds: [], categoryIds: [] },
    channels: ['store'],
    validity: { kind: 'relative', days: 30 },
    totalStock: 20,
    perCustomerLimit: 1,
    isStackable: true,
    ...templateOverrides,
  });
  expect(template.statusCode, template.body).toBe(201);
  const created = await owner.post('/voucher-distributions', { kind: 'claim_link', name, templateId: template.json().id });
  expect(created.statusCode, created.body).toBe(201);
  return { templateId: template.json().id as string, distribution: created.json().distribution };
};

const issuedOf = async (templateId: string) => {
  const [row] = await database.db
    .select({ count: sql<number>`count(*)::int` })
    .from(customerVouchers)
    .where(and(eq(customerVouchers.tenantId, clinic.id), eq(customerVouchers.templateId, templateId)));
  return Number(row?.count ?? 0);
};

describe('the claim page', () => {
  it('shows the offer before login; claims it once after login; a second claim is past the limit; a replay is the first answer', async () => {
    const { templateId, distribution } = await claimLink({});
    const code = distribution.claimCode as string;
    expect(distribution.claimPath).toBe(`/m/claim/${code}?clinic=${clinic.code}`);
    const page = await app.inject({ method: 'GET', url: `/api/portal/v1/claims/${code}?clinic=${clinic.code}` });
    expect(page.statusCode, page.body).toBe(200);
    expect(page.json()).toMatchObject({
      code,
      name: '小气泡清洁体验券',
      title: '¥50 小气泡清洁体验券（无门槛） · 全场（卡项除外） · 领取后 30 天内有效',
      scopeLabel: '全场（卡项除外）',
      validityLabel: '领取后 30 天内有效',
      stockLeft: 20,
      perCustomerLimit: 1,
      state: 'available',
      held: null,
      clinicName: 'Claim clinic',
    });
    expect((await claim(code, undefined)).statusCode).toBe(401);
    const [customerId = ''] = await newCustomers(1);
    const member = await memberSession(customerId);
    const noKey = await app.inject({ method: 'POST', url: `/api/portal/v1/claims/${code}`, headers: member, payload: {} });
    expect(noKey.statusCode).toBe(400);
    const first = await claim(code, member, { key: 'claim-first-tap' });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ message: '领取成功，已放入券包', offer: { state: 'limit_reached', held: 1, stockLeft: 19 } });
    expect(first.json().vouchers).toEqual([expect.objectContaining({ validFrom: '2026-06-01', validTo: '2026-06-30' })]);
    const replay = await claim(code, member, { key: 'claim-first-tap' });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(first.json());
    const second = await claim(code, member);
    expect([second.statusCode, second.json().error.code]).toEqual([422, 'VOUCHER_OVER_LIMIT']);
    expect(await issuedOf(templateId)).toBe(1);
    const [voucher] = await database.db
      .select()
      .from(customerVouchers)
      .where(and(eq(customerVouchers.tenantId, clinic.id), eq(customerVouchers.customerId, customerId)));
    expect(voucher).toMatchObject({ source: 'claim', distributionId: distribution.id, issueKey: `dist:${distribution.id}:${customerId}:1` });
    // Signed in, the page says she already has it.
    const mine = await app.inject({ method: 'GET', url: `/api/portal/v1/claims/${code}`, headers: { cookie: member.cookie } });
    expect(mine.json()).toMatchObject({ state: 'limit_reached', held: 1 });
    expect((await owner.get(`/voucher-distributions/${distribution.id}`)).json()).toMatchObject({ issuedCount: 1, template: { stockLeft: 19 } });
  });

  it('claims up to the limit with one key each, and lists open offers in 领券中心', async () => {
    const { distribution } = await claimLink({ name: '水光体验券', perCustomerLimit: 2, totalStock: null }, '水光体验');
    const code = distribution.claimCode as string;
    const [customerId = ''] = await newCustomers(1);
    const member = await memberSession(customerId);
    const centre = async () =>
      (await app.inject({ method: 'GET', url: '/api/portal/v1/claims', headers: { cookie: member.cookie } })).json().items as { code: string; state: string }[];
    expect((await centre()).find((offer) => offer.code === code)?.state).toBe('available');
    expect((await claim(code, member)).statusCode).toBe(201);
    const secondClaim = await claim(code, member);
    expect(secondClaim.statusCode).toBe(201);
    expect(secondClaim.json().offer).toMatchObject({ held: 2, state: 'limit_reached', stockLeft: null });
    expect((await centre()).find((offer) => offer.code === code)?.state).toBe('limit_reached');
    const keys = await database.db
      .select({ key: customerVouchers.issueKey })
      .from(customerVouchers)
      .where(and(eq(customerVouchers.tenantId, clinic.id), eq(customerVouchers.customerId, customerId)));
    expect(keys.map((row) => row.key).sort()).toEqual([`dist:${distribution.id}:${customerId}:1`, `dist:${distribution.id}:${customerId}:2`]);
    // Stopped: the page says it ended, a claim is refused, 领券中心 no longer lists it.
    await owner.post(`/voucher-distributions/${distribution.id}/cancel`, {});
    const [late = ''] = await newCustomers(1);
    const lateMember = await memberSession(late);
    expect((await app.inject({ method: 'GET', url: `/api/portal/v1/claims/${code}?clinic=${clinic.code}` })).json().state).toBe('ended');
    const closed = await claim(code, lateMember);
    expect([closed.statusCode, closed.json().error.code]).toEqual([422, 'CLAIM_CLOSED']);
    expect((await centre()).find((offer) => offer.code === code)).toBeUndefined();
  });

  it('answers 404 for an unknown code and for another clinic’s code, and its members cannot claim it', async () => {
    const { distribution } = await claimLink({ name: '本店券' });
    const code = distribution.claimCode as string;
    expect((await app.inject({ method: 'GET', url: `/api/portal/v1/claims/zzzzzzzzzz?clinic=${clinic.code}` })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/api/portal/v1/claims/${code}?clinic=${other.code}` })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/api/portal/v1/claims/${code}?clinic=no-such-clinic` })).statusCode).toBe(404);
    const [stranger = ''] = await newCustomers(1, other.id);
    const foreign = await claim(code, await memberSession(stranger, other.id));
    expect(foreign.statusCode).toBe(404);
  });

  it('refuses a customer claiming too fast with 429 and Retry-After', async () => {
    const { distribution } = await claimLink({ name: '限频券', perCustomerLimit: 100, totalStock: null });
    const [customerId = ''] = await newCustomers(1);
    const member = await memberSession(customerId);
    const statuses: number[] = [];
    let refused: Awaited<ReturnType<typeof claim>> | undefined;
    for (let attempt = 0; attempt <= claimLimits.perCustomerPerMinute; attempt++) {
      const response = await claim(distribution.claimCode, member);
      statuses.push(response.statusCode);
      if (response.statusCode === 429) refused = response;
    }
    expect(statuses.slice(0, claimLimits.perCustomerPerMinute).every((status) => status === 201)).toBe(true);
    expect(refused?.statusCode).toBe(429);
    expect(Number(refused?.headers['retry-after'])).toBeGreaterThan(0);
    // One address harvesting for many accounts is stopped as well.
    const accounts = await newCustomers(claimLimits.perAddressPerMinute + 1);
    const fromOneAddress: number[] = [];
    for (const account of accounts)
      fromOneAddress.push((await claim(distribution.claimCode, await memberSession(account), { remoteAddress: '192.0.2.7' })).statusCode);
    expect(fromOneAddress.at(-1)).toBe(429);
    expect(fromOneAddress.filter((status) => status === 201)).toHaveLength(claimLimits.perAddressPerMinute);
  });
});

describe('claims under concurrency (meaningful on PostgreSQL; PGlite runs them one at a time)', () => {
  it('100 customers claiming 20 in stock at once: exactly 20 issued, the stock counter at 20', async () => {
    const { templateId, distribution } = await claimLink({ name: '限量抢券', totalStock: 20, perCustomerLimit: 1 });
    const customerIds = await newCustomers(100);
    const sessions = await Promise.all(customerIds.map((customerId) => memberSession(customerId)));
    const results = await Promise.all(sessions.map((session) => claim(distribution.claimCode, session)));
    const statuses = results.map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 201)).toHaveLength(20);
    expect(statuses.filter((status) => status !== 201).every((status) => status === 409)).toBe(true);
    expect(results.find((response) => response.statusCode === 409)?.json().error.code).toBe('VOUCHER_OUT_OF_STOCK');
    expect(await issuedOf(templateId)).toBe(20);
    expect((await owner.get(`/voucher-templates/${templateId}`)).json()).toMatchObject({ issuedCount: 20, stockLeft: 0 });
    expect((await owner.get(`/voucher-distributions/${distribution.id}`)).json().issuedCount).toBe(20);
  });

  it('one customer claiming 10 times at once with a limit of 2: exactly 2', async () => {
    const { templateId, distribution } = await claimLink({ name: '每人两张', totalStock: null, perCustomerLimit: 2 });
    const [customerId = ''] = await newCustomers(1);
    const session = await memberSession(customerId);
    const results = await Promise.all(Array.from({ length: 10 }, () => claim(distribution.claimCode, session)));
    expect(results.filter((response) => response.statusCode === 201)).toHaveLength(2);
    expect(results.filter((response) => response.statusCode !== 201).every((response) => response.statusCode === 422)).toBe(true);
    expect(await issuedOf(templateId)).toBe(2);
    expect((await owner.get(`/voucher-templates/${templateId}`)).json().issuedCount).toBe(2);
  });

  it('leaves the voucher books balanced', async () => {
    expect(await database.db.transaction((tx) => verifyVoucherLedgers(tx, clinic.id))).toEqual([]);
  });
});
