import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { Database } from '../../db/client.js';
import { openDatabase } from '../../db/client.js';
import type { App } from '../../platform/http.js';
import { type Role, rolePermissions, roles } from '../../platform/permissions.js';
import { auditLog } from '../../platform/tables.js';
import { prepareDatabase } from '../../prepare-database.js';
import {
  buildTestApp,
  createTestTenant,
  loginAs,
  movableClock,
  openTestDatabase,
  randomMobile,
  type Session,
  type TestTenant,
} from '../../testing/database.js';
import { loginAttemptsPerAddress } from './routes.js';

let database: Database;
let app: App;
let clinic: TestTenant;
let other: TestTenant;
const sessions = {} as Record<Role, Session>;
const clock = movableClock('2026-11-23T02:00:00Z');

const call = (session: Session | undefined, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: object, remoteAddress?: string) =>
  app.inject({
    method,
    url: `/api/v1${url}`,
    headers: session ? (method === 'GET' ? session.headers : { ...session.writeHeaders, 'idempotency-key': `k-${crypto.randomUUID()}` }) : {},
    ...(payload ? { payload } : {}),
    ...(remoteAddress ? { remoteAddress } : {}),
  });

const loginWith = (code: string, username: string, password: string, remoteAddress = '10.0.0.1') =>
  app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { tenantCode: code, username, password }, remoteAddress });

const sessionOf = (response: { cookies: { name: string; value: string }[]; json: () => { csrfToken: string } }): Session => {
  const cookie = response.cookies.find((entry) => entry.name === 'yh_sid');
  if (!cookie) throw new Error('no session cookie');
  const headers = { cookie: `yh_sid=${cookie.value}` };
  return { headers, writeHeaders: { ...headers, 'x-csrf-token': response.json().csrfToken } };
};

let counter = 0;
const newStaff = async (role: Role = 'front_desk', storeIds: string[] | null = null) => {
  counter += 1;
  const username = `staff${counter}x${Date.now() % 100000}`;
  const response = await call(sessions.owner, 'POST', '/staff', { username, displayName: `员工${counter}`, role, password: 'First-Temporary-77', storeIds });
  expect(response.statusCode, response.body).toBe(201);
  return { id: response.json().id as string, username };
};

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildTestApp(database, { clock });
  clinic = await createTestTenant(database, '员工管理诊所');
  other = await createTestTenant(database, '别家诊所');
  for (const role of roles) sessions[role] = await loginAs(app, clinic, role);
});

afterAll(async () => {
  await app.close();
  await database.close();
});

describe('staff management: role × action', () => {
  const actions: {
    name: string;
    permission: 'staff.manage' | 'staff.reset_password';
    run: (session: Session, target: string) => Promise<{ statusCode: number }>;
  }[] = [
    { name: 'list accounts', permission: 'staff.reset_password', run: (session) => call(session, 'GET', '/staff/accounts') },
    {
      name: 'create',
      permission: 'staff.manage',
      run: (session) =>
        call(session, 'POST', '/staff', {
          username: `n${crypto.randomUUID().slice(0, 8)}`,
          displayName: '新人',
          role: 'front_desk',
          password: 'Brand-New-Staff-42',
        }),
    },
    { name: 'edit', permission: 'staff.manage', run: (session, target) => call(session, 'PATCH', `/staff/${target}`, { displayName: '改名' }) },
    { name: 'disable', permission: 'staff.manage', run: (session, target) => call(session, 'POST', `/staff/${target}/disable`) },
    { name: 'enable', permission: 'staff.manage', run: (session, target) => call(session, 'POST', `/staff/${target}/enable`) },
    { name: 'unlock', permission: 'staff.manage', run: (session, target) => call(session, 'POST', `/staff/${target}/unlock`) },
    {
      name: 'reset password',
      permission: 'staff.reset_password',
      run: (session, target) => call(session, 'POST', `/staff/${target}/password-reset`, { temporaryPassword: 'Reset-By-Someone-31' }),
    },
  ];

  for (const role of roles) {
    for (const action of actions) {
      const isAllowed = rolePermissions[role].includes(action.permission);
      it(`${role} ${isAllowed ? 'may' : 'may not'} ${action.name}`, async () => {
        const target = await newStaff('consultant');
        const response = await action.run(sessions[role], target.id);
        expect(response.statusCode).toBe(isAllowed ? (action.name === 'create' ? 201 : 200) : 403);
      });
    }
  }

  it('a store manager resets only staff below them, in their own stores', async () => {
    const [storeA, storeB] = clinic.storeIds as [string, string];
    const manager = await newStaff('store_manager', [storeA]);
    const managerLogin = await loginWith(clinic.code, manager.username, 'First-Temporary-77');
    const managerSession = sessionOf(managerLogin);
    expect(
      (await call(managerSession, 'POST', '/auth/password', { currentPassword: 'First-Temporary-77', newPassword: 'Manager-Own-Pass-55' })).statusCode,
    ).toBe(200);
    const inStore = await newStaff('front_desk', [storeA]);
    const otherStore = await newStaff('front_desk', [storeB]);
    const everywhere = await newStaff('front_desk', null);
    const reset = (id: string) => call(managerSession, 'POST', `/staff/${id}/password-reset`, { temporaryPassword: 'Manager-Reset-Pass-8' });
    expect((await reset(inStore.id)).statusCode).toBe(200);
    expect((await reset(otherStore.id)).statusCode).toBe(403);
    expect((await reset(everywhere.id)).statusCode).toBe(403);
    expect((await reset(clinic.staff.owner.id)).statusCode).toBe(403);
    expect((await reset(clinic.staff.store_manager.id)).statusCode).toBe(403);
  });

  it('writes every staff change to the audit log, without the password', async () => {
    const target = await newStaff('doctor_nurse');
    await call(sessions.owner, 'PATCH', `/staff/${target.id}`, { role: 'consultant', storeIds: [clinic.storeIds[0]] });
    await call(sessions.owner, 'POST', `/staff/${target.id}/password-reset`, { temporaryPassword: 'Audit-Reset-Pass-12' });
    await call(sessions.owner, 'POST', `/staff/${target.id}/disable`);
    await call(sessions.owner, 'POST', `/staff/${target.id}/enable`);
    await call(sessions.owner, 'POST', `/staff/${target.id}/unlock`);
    const rows = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, clinic.id), eq(auditLog.entityId, target.id)));
    expect(rows.map((row) => row.action).sort()).toEqual(
      ['staff.create', 'staff.disable', 'staff.enable', 'staff.password.reset', 'staff.unlock', 'staff.update'].sort(),
    );
    expect(JSON.stringify(rows)).not.toMatch(/password_?hash|Temporary|Audit-Reset/i);
    const update = rows.find((row) => row.action === 'staff.update');
    expect(update?.after).toMatchObject({ role: 'consultant', storeIds: [clinic.storeIds[0]] });
  });

  it('keeps at least one active owner and refuses to disable oneself', async () => {
    const selfDisable = await call(sessions.owner, 'POST', `/staff/${clinic.staff.owner.id}/disable`);
    expect(selfDisable.statusCode).toBe(422);
    const demote = await call(sessions.owner, 'PATCH', `/staff/${clinic.staff.owner.id}`, { role: 'store_manager' });
    expect(demote.statusCode).toBe(422);
    expect(demote.json().error.code).toBe('STAFF_LAST_OWNER');
  });
});

describe('accounts and sessions', () => {
  it("a disabled account's session is refused on its very next request, and it cannot log in", async () => {
    const target = await newStaff('front_desk');
    const session = sessionOf(await loginWith(clinic.code, target.username, 'First-Temporary-77'));
    expect((await call(session, 'POST', '/auth/password', { currentPassword: 'First-Temporary-77', newPassword: 'Desk-Changed-Pass-1' })).statusCode).toBe(200);
    expect((await call(session, 'GET', '/customers')).statusCode).toBe(200);
    expect((await call(sessions.owner, 'POST', `/staff/${target.id}/disable`)).statusCode).toBe(200);
    expect((await call(session, 'GET', '/customers')).statusCode).toBe(401);
    expect((await loginWith(clinic.code, target.username, 'Desk-Changed-Pass-1')).statusCode).toBe(401);
    const accounts = (await call(sessions.owner, 'GET', '/staff/accounts')).json().items as { id: string; isDisabled: boolean }[];
    expect(accounts.find((account) => account.id === target.id)?.isDisabled).toBe(true);
    expect((await call(sessions.owner, 'GET', '/staff')).json().items.map((item: { id: string }) => item.id)).not.toContain(target.id);
  });

  it('a temporary password opens only the change-password screen, then every other session ends', async () => {
    const target = await newStaff('consultant');
    const first = sessionOf(await loginWith(clinic.code, target.username, 'First-Temporary-77'));
    const me = await call(first, 'GET', '/auth/me');
    expect(me.json().user.mustChangePassword).toBe(true);
    const refused = await call(first, 'GET', '/customers');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    const second = sessionOf(await loginWith(clinic.code, target.username, 'First-Temporary-77'));
    const changed = await call(second, 'POST', '/auth/password', { currentPassword: 'First-Temporary-77', newPassword: 'Consultant-Own-Pass-3' });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().user.mustChangePassword).toBe(false);
    expect((await call(second, 'GET', '/customers')).statusCode).toBe(200);
    expect((await call(first, 'GET', '/auth/me')).statusCode).toBe(401);
    expect((await loginWith(clinic.code, target.username, 'First-Temporary-77')).statusCode).toBe(401);
    const lastLogin = ((await call(sessions.owner, 'GET', '/staff/accounts')).json().items as { id: string; lastLoginAt: string | null }[]).find(
      (account) => account.id === target.id,
    );
    expect(lastLogin?.lastLoginAt).toBe(clock.now().toISOString());
  });

  it('a password reset ends the sessions of the account and makes the next login change it', async () => {
    const target = await newStaff('marketing');
    const session = sessionOf(await loginWith(clinic.code, target.username, 'First-Temporary-77'));
    await call(session, 'POST', '/auth/password', { currentPassword: 'First-Temporary-77', newPassword: 'Marketing-Own-Pass-4' });
    expect((await call(session, 'GET', '/customers')).statusCode).toBe(200);
    expect((await call(sessions.owner, 'POST', `/staff/${target.id}/password-reset`, { temporaryPassword: 'Owner-Gave-This-99' })).statusCode).toBe(200);
    expect((await call(session, 'GET', '/customers')).statusCode).toBe(401);
    const next = await loginWith(clinic.code, target.username, 'Owner-Gave-This-99');
    expect(next.json().user.mustChangePassword).toBe(true);
  });
});

describe('password rules', () => {
  it('refuses short, common and name-bearing passwords with the field that was wrong', async () => {
    const target = await newStaff('consultant');
    const session = sessionOf(await loginWith(clinic.code, target.username, 'First-Temporary-77'));
    const attempt = (newPassword: string, currentPassword = 'First-Temporary-77') => call(session, 'POST', '/auth/password', { currentPassword, newPassword });
    const short = await attempt('short-1');
    expect(short.statusCode).toBe(400);
    expect(short.json().error.details[0].path).toBe('body.newPassword');
    for (const weak of ['1234567890', 'qwertyuiop', 'password2024!', 'aaaaaaaaaaaa', `${target.username}-abc`]) {
      const response = await attempt(weak);
      expect(response.statusCode, weak).toBe(400);
      expect(response.json().error.code, weak).toBe('PASSWORD_WEAK');
      expect(response.json().error.details[0].path).toBe('body.newPassword');
    }
    const wrongCurrent = await attempt('Perfectly-Fine-Pass-6', 'not-my-password');
    expect(wrongCurrent.statusCode).toBe(400);
    expect(wrongCurrent.json().error.details[0].path).toBe('body.currentPassword');
    const weakCreate = await call(sessions.owner, 'POST', '/staff', { username: 'weakling', displayName: '弱', role: 'front_desk', password: 'password123' });
    expect(weakCreate.statusCode).toBe(400);
    expect(weakCreate.json().error.details[0].path).toBe('body.password');
    expect((await attempt('Perfectly-Fine-Pass-6')).statusCode).toBe(200);
  });
});

describe('lockout per account and address', () => {
  it('locks only the address that guessed, and the owner unlocks', async () => {
    const target = await newStaff('front_desk');
    const stranger = '203.0.113.7';
    const clinicPc = '10.0.0.8';
    for (let attempt = 0; attempt < 5; attempt++) {
      expect((await loginWith(clinic.code, target.username, `wrong-guess-${attempt}`, stranger)).statusCode).toBe(401);
    }
    const locked = await loginWith(clinic.code, target.username, 'First-Temporary-77', stranger);
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // The clinic's own computer still logs in.
    expect((await loginWith(clinic.code, target.username, 'First-Temporary-77', clinicPc)).statusCode).toBe(200);
    const listed = ((await call(sessions.owner, 'GET', '/staff/accounts')).json().items as { id: string; isLocked: boolean }[]).find(
      (account) => account.id === target.id,
    );
    expect(listed?.isLocked).toBe(true);
    expect((await call(sessions.owner, 'POST', `/staff/${target.id}/unlock`)).json().isLocked).toBe(false);
    expect((await loginWith(clinic.code, target.username, 'First-Temporary-77', stranger)).statusCode).toBe(200);
  });

  it('lets the address try again once the lock has passed, never forever', async () => {
    const target = await newStaff('front_desk');
    for (let attempt = 0; attempt < 5; attempt++) await loginWith(clinic.code, target.username, 'wrong-guess', '198.51.100.4');
    expect((await loginWith(clinic.code, target.username, 'First-Temporary-77', '198.51.100.4')).statusCode).toBe(429);
    clock.set(new Date(clock.now().getTime() + 16 * 60_000));
    expect((await loginWith(clinic.code, target.username, 'First-Temporary-77', '198.51.100.4')).statusCode).toBe(200);
  });
});

describe('attempts per address', () => {
  it('limits one address to its attempts for one clinic code, and never locks another clinic out from behind the same address', async () => {
    const sharedAddress = '100.64.0.9';
    const strangerCode = `NoSuch-${counter}`;
    for (let attempt = 0; attempt < loginAttemptsPerAddress; attempt++) {
      expect((await loginWith(strangerCode, 'nobody', 'wrong-guess-1', sharedAddress)).statusCode).toBe(401);
    }
    const limited = await loginWith(` ${strangerCode.toLowerCase()} `, 'nobody', 'wrong-guess-1', sharedAddress);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('RATE_LIMITED');
    const target = await newStaff('front_desk');
    expect((await loginWith(clinic.code, target.username, 'First-Temporary-77', sharedAddress)).statusCode).toBe(200);
  });
});

describe('stores', () => {
  it('opens, edits and closes a store; a store with history stays with its orders and cannot be deleted', async () => {
    const created = await call(sessions.owner, 'POST', '/stores', { name: '三号店', address: '上海市长宁区 1 号', phone: '021-1234' });
    expect(created.statusCode).toBe(201);
    const storeId = created.json().id as string;
    expect((await call(sessions.owner, 'POST', '/stores', { name: '三号店' })).statusCode).toBe(409);
    const edited = await call(sessions.owner, 'PATCH', `/stores/${storeId}`, { address: '上海市长宁区 2 号' });
    expect(edited.json().address).toBe('上海市长宁区 2 号');
    const customer = (await call(sessions.owner, 'POST', '/customers', { name: '门店客户', gender: 'female', phone: randomMobile() })).json();
    const item = (await call(sessions.owner, 'POST', '/items', { kind: 'service', name: `门店项目${Date.now()}`, priceFen: 1000 })).json();
    const order = await call(sessions.owner, 'POST', '/orders', {
      storeId,
      customerId: customer.id,
      lines: [{ itemId: item.id, quantity: 1 }],
      payments: [{ method: 'cash', amountFen: 1000 }],
    });
    expect(order.statusCode, order.body).toBe(201);
    const receipt = await call(sessions.owner, 'GET', `/orders/${order.json().id}/receipt`);
    expect(receipt.body).toContain('三号店');
    expect(receipt.body).toContain('上海市长宁区 2 号');
    expect((await call(sessions.owner, 'DELETE', `/stores/${storeId}`)).statusCode).toBe(404);
    const closed = await call(sessions.owner, 'POST', `/stores/${storeId}/close`);
    expect(closed.statusCode).toBe(200);
    expect(closed.json().closedAt).not.toBeNull();
    const stores = (await call(sessions.owner, 'GET', '/stores')).json().items as { id: string; closedAt: string | null }[];
    expect(stores.find((store) => store.id === storeId)?.closedAt).not.toBeNull();
    expect((await call(sessions.owner, 'GET', '/auth/me')).json().stores.map((store: { id: string }) => store.id)).not.toContain(storeId);
    expect((await call(sessions.owner, 'GET', `/orders/${order.json().id}`)).json().storeId).toBe(storeId);
    expect((await call(sessions.owner, 'POST', `/stores/${storeId}/reopen`)).json().closedAt).toBeNull();
  });

  it('keeps one store open', async () => {
    const lonely = await createTestTenant(database, '单店诊所');
    const owner = await loginAs(app, lonely, 'owner');
    expect((await call(owner, 'POST', `/stores/${lonely.storeIds[0]}/close`)).statusCode).toBe(200);
    const last = await call(owner, 'POST', `/stores/${lonely.storeIds[1]}/close`);
    expect(last.statusCode).toBe(422);
    expect(last.json().error.code).toBe('STORE_LAST_OPEN');
  });
});

describe('clinic settings', () => {
  it('changes the profile, checks the time zone, and prints the receipt texts', async () => {
    const payload = {
      name: '员工管理诊所（新名）',
      timezone: 'Asia/Urumqi',
      contactPhone: '021-5555',
      address: '上海市黄浦区',
      receiptHeader: '欢迎光临',
      receiptFooter: '术后 24 小时内请勿沾水',
      businessDayStart: '04:00',
    };
    const saved = await call(sessions.owner, 'PUT', '/settings/clinic', payload);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ ...payload, hasLogo: false });
    const badZone = await call(sessions.owner, 'PUT', '/settings/clinic', { ...payload, timezone: 'Mars/Olympus' });
    expect(badZone.statusCode).toBe(400);
    expect(badZone.json().error.details[0].path).toBe('body.timezone');
    expect((await call(sessions.owner, 'GET', '/settings/clinic')).json().timezone).toBe('Asia/Urumqi');
    const customer = (await call(sessions.owner, 'POST', '/customers', { name: '小票客户', gender: 'female', phone: randomMobile() })).json();
    const item = (await call(sessions.owner, 'POST', '/items', { kind: 'service', name: `小票项目${Date.now()}`, priceFen: 500 })).json();
    const order = (
      await call(sessions.owner, 'POST', '/orders', {
        storeId: clinic.storeIds[0],
        customerId: customer.id,
        lines: [{ itemId: item.id, quantity: 1 }],
        payments: [{ method: 'cash', amountFen: 500 }],
      })
    ).json();
    const receipt = (await call(sessions.owner, 'GET', `/orders/${order.id}/receipt`)).body;
    expect(receipt).toContain('员工管理诊所（新名）');
    expect(receipt).toContain('欢迎光临');
    expect(receipt).toContain('术后 24 小时内请勿沾水');
    expect((await call(sessions.store_manager, 'PUT', '/settings/clinic', payload)).statusCode).toBe(403);
  });

  it('takes a logo of an image type within the size limit and serves it publicly', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
    const saved = await call(sessions.owner, 'PUT', '/settings/clinic/logo', { dataBase64: png.toString('base64') });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toEqual({ contentType: 'image/png', size: png.length });
    const served = await app.inject({ method: 'GET', url: `/api/clinics/${clinic.code}/logo` });
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(served.rawPayload.equals(png)).toBe(true);
    const svg = await call(sessions.owner, 'PUT', '/settings/clinic/logo', { dataBase64: Buffer.from('<svg onload="alert(1)"/>').toString('base64') });
    expect(svg.statusCode).toBe(400);
    expect(svg.json().error.code).toBe('LOGO_NOT_IMAGE');
    const huge = Buffer.concat([png, Buffer.alloc(300 * 1024)]);
    expect((await call(sessions.owner, 'PUT', '/settings/clinic/logo', { dataBase64: huge.toString('base64') })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: `/api/clinics/${other.code}/logo` })).statusCode).toBe(404);
    expect((await call(sessions.owner, 'GET', '/auth/me')).json().tenant.hasLogo).toBe(true);
  });
});

describe('another clinic', () => {
  it("answers 404 for another clinic's staff and stores, and changes nothing", async () => {
    const ownerB = await loginAs(app, other, 'owner');
    const target = clinic.staff.marketing.id;
    expect((await call(ownerB, 'PATCH', `/staff/${target}`, { displayName: '越界' })).statusCode).toBe(404);
    expect((await call(ownerB, 'POST', `/staff/${target}/disable`)).statusCode).toBe(404);
    expect((await call(ownerB, 'POST', `/staff/${target}/password-reset`, { temporaryPassword: 'Cross-Clinic-Pass-1' })).statusCode).toBe(404);
    expect((await call(ownerB, 'POST', `/staff/${target}/unlock`)).statusCode).toBe(404);
    expect((await call(ownerB, 'PATCH', `/stores/${clinic.storeIds[0]}`, { name: '越界' })).statusCode).toBe(404);
    expect((await call(ownerB, 'POST', `/stores/${clinic.storeIds[0]}/close`)).statusCode).toBe(404);
    const foreignStore = await call(ownerB, 'POST', '/staff', {
      username: 'crossstore',
      displayName: '越界',
      role: 'front_desk',
      password: 'Cross-Store-Pass-22',
      storeIds: [clinic.storeIds[0]],
    });
    expect(foreignStore.statusCode).toBe(404);
    expect((await call(sessions.marketing, 'GET', '/auth/me')).json().user.displayName).toBe('marketing 员工');
  });
});

describe('setup page', () => {
  it('creates the first clinic on an empty database, signs the owner in, then closes', async () => {
    const empty = await openDatabase({ kind: 'pglite' });
    await prepareDatabase(empty);
    const setupApp = await buildApp({ database: empty });
    try {
      expect((await setupApp.inject({ method: 'GET', url: '/api/v1/setup' })).json()).toEqual({ isOpen: true, isFirstClinic: true });
      const body = {
        code: 'Jiayi',
        name: '佳一口腔',
        timezone: 'Asia/Shanghai',
        store: { name: '总店', address: '杭州市西湖区' },
        owner: { username: 'boss', displayName: '王佳', password: 'Dental-Owner-Pass-1' },
      };
      const weak = await setupApp.inject({ method: 'POST', url: '/api/v1/setup', payload: { ...body, owner: { ...body.owner, password: 'password123' } } });
      expect(weak.statusCode).toBe(400);
      expect(weak.json().error.details[0].path).toBe('body.owner.password');
      const badZone = await setupApp.inject({ method: 'POST', url: '/api/v1/setup', payload: { ...body, timezone: 'Nowhere/Town' } });
      expect(badZone.statusCode).toBe(400);
      expect((await setupApp.inject({ method: 'GET', url: '/api/v1/setup' })).json().isFirstClinic).toBe(true);
      const created = await setupApp.inject({ method: 'POST', url: '/api/v1/setup', payload: body });
      expect(created.statusCode, created.body).toBe(201);
      expect(created.json()).toMatchObject({
        user: { username: 'boss', role: 'owner', mustChangePassword: false },
        tenant: { code: 'jiayi', name: '佳一口腔' },
      });
      const owner = sessionOf(created);
      const me = await setupApp.inject({ method: 'GET', url: '/api/v1/auth/me', headers: owner.headers });
      expect(me.json().stores).toEqual([{ id: expect.any(String), name: '总店' }]);
      const tiers = await setupApp.inject({ method: 'GET', url: '/api/v1/membership/tiers', headers: owner.headers });
      expect(tiers.json().items.map((tier: { name: string }) => tier.name)).toEqual(['普通会员']);
      const points = await setupApp.inject({ method: 'GET', url: '/api/v1/settings/points', headers: owner.headers });
      expect(points.json().isEnabled).toBe(false);
      expect((await setupApp.inject({ method: 'GET', url: '/api/v1/setup' })).json()).toEqual({ isOpen: false, isFirstClinic: false });
      const again = await setupApp.inject({ method: 'POST', url: '/api/v1/setup', payload: { ...body, code: 'second' } });
      expect(again.statusCode).toBe(403);
      expect(again.json().error.code).toBe('SETUP_CLOSED');
    } finally {
      await setupApp.close();
      await empty.close();
    }
  });

  it('beside existing clinics only when the server opens it, and never with a taken code', async () => {
    const closed = await buildApp({ database, setupPolicy: 'first_clinic_only' });
    const open = await buildApp({ database, setupPolicy: 'open' });
    try {
      const body = {
        code: `open-${Date.now()}`,
        name: '开放诊所',
        store: { name: '总店' },
        owner: { username: 'boss', displayName: '老板', password: 'Open-Owner-Pass-55' },
      };
      expect((await closed.inject({ method: 'POST', url: '/api/v1/setup', payload: body })).statusCode).toBe(403);
      const taken = await open.inject({ method: 'POST', url: '/api/v1/setup', payload: { ...body, code: clinic.code } });
      expect(taken.statusCode).toBe(409);
      expect(taken.json().error.code).toBe('TENANT_CODE_TAKEN');
      expect((await open.inject({ method: 'POST', url: '/api/v1/setup', payload: body })).statusCode).toBe(201);
    } finally {
      await closed.close();
      await open.close();
    }
  });
});
