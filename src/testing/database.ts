import { randomBytes } from 'node:crypto';
import { type BuildAppOptions, buildApp } from '../app.js';
import { type Database, openDatabase } from '../db/client.js';
import { createStaffUser } from '../modules/staff/index.js';
import { createStore, createTenant } from '../modules/tenants/index.js';
import { systemActor } from '../platform/audit.js';
import type { App } from '../platform/http.js';
import type { Role } from '../platform/permissions.js';
import { roles } from '../platform/permissions.js';
import { prepareDatabase } from '../prepare-database.js';

/**
 * The database for a test file: the PostgreSQL server in DATABASE_URL (migrated by the global
 * setup), or a fresh in-memory PGlite. Tests isolate themselves by creating their own tenants.
 */
export const openTestDatabase = async (): Promise<Database> => {
  const url = process.env.DATABASE_URL;
  if (url) return openDatabase({ kind: 'postgres', url, poolSize: 20 });
  const database = await openDatabase({ kind: 'pglite' });
  await prepareDatabase(database);
  return database;
};

export const testPassword = 'test-password-1';

export type TestTenant = {
  id: string;
  code: string;
  storeIds: string[];
  staff: Record<Role, { id: string; username: string }>;
};

/** A tenant with two stores and one staff account per role (password `testPassword`). */
export const createTestTenant = async (database: Database, name = 'Test clinic'): Promise<TestTenant> => {
  const code = `t-${randomBytes(5).toString('hex')}`;
  return database.db.transaction(async (tx) => {
    const tenant = await createTenant(tx, { code, name });
    const actor = systemActor(tenant.id);
    const storeA = await createStore(tx, tenant.id, { name: '一号店' });
    const storeB = await createStore(tx, tenant.id, { name: '二号店' });
    const staff = {} as TestTenant['staff'];
    for (const role of roles) {
      const user = await createStaffUser(tx, actor, { username: role.replace('_', ''), displayName: `${role} 员工`, role, password: testPassword });
      staff[role] = { id: user.id, username: user.username };
    }
    return { id: tenant.id, code, storeIds: [storeA.id, storeB.id], staff };
  });
};

export type Session = {
  headers: Record<string, string>;
  /** Headers for unsafe methods: the cookie and the CSRF token. */
  writeHeaders: Record<string, string>;
};

/** Logs in through the API, as the console does. */
export const loginAs = async (app: App, tenant: TestTenant, role: Role): Promise<Session> => {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { tenantCode: tenant.code, username: tenant.staff[role].username, password: testPassword },
  });
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode} ${response.body}`);
  const cookie = response.cookies.find((item) => item.name === 'yh_sid');
  if (!cookie) throw new Error('no session cookie');
  const headers = { cookie: `yh_sid=${cookie.value}` };
  return { headers, writeHeaders: { ...headers, 'x-csrf-token': response.json().csrfToken } };
};

export const buildTestApp = async (database: Database, options: Pick<BuildAppOptions, 'clock' | 'trustProxy' | 'webDistDir' | 'secureCookies'> = {}) => {
  const app = await buildApp({ database, ...options });
  await app.ready();
  return app;
};

/** Random valid mainland mobile numbers, so parallel test files never collide. */
export const randomMobile = () => `139${String(randomBytes(4).readUInt32BE() % 100_000_000).padStart(8, '0')}`;

/** Inject-based calls as one staff session: `post` sends an Idempotency-Key (a fresh one unless given). */
export const apiAs = (app: App, session: Session, prefix = '/api/v1') => ({
  get: (url: string) => app.inject({ method: 'GET', url: `${prefix}${url}`, headers: session.headers }),
  post: (url: string, payload: object, idempotencyKey: string = `test-${randomBytes(8).toString('hex')}`) =>
    app.inject({ method: 'POST', url: `${prefix}${url}`, headers: { ...session.writeHeaders, 'idempotency-key': idempotencyKey }, payload }),
  patch: (url: string, payload: object) => app.inject({ method: 'PATCH', url: `${prefix}${url}`, headers: session.writeHeaders, payload }),
  put: (url: string, payload: object) => app.inject({ method: 'PUT', url: `${prefix}${url}`, headers: session.writeHeaders, payload }),
});

/**
 * A new account of `role` limited to `storeIds`, created by the owner and signed in past its
 * first-login password change: the API as that account.
 */
export const scopedStaffApi = async (app: App, tenant: TestTenant, role: Role, storeIds: string[], username: string) => {
  const owner = apiAs(app, await loginAs(app, tenant, 'owner'));
  const created = await owner.post('/staff', { username, displayName: `${username} 员工`, role, password: 'temporary-password-1', storeIds });
  if (created.statusCode !== 201) throw new Error(`staff not created: ${created.body}`);
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { tenantCode: tenant.code, username, password: 'temporary-password-1' },
  });
  const cookie = login.cookies.find((item) => item.name === 'yh_sid');
  if (!cookie) throw new Error(`login failed: ${login.body}`);
  const headers = { cookie: `yh_sid=${cookie.value}` };
  const api = apiAs(app, { headers, writeHeaders: { ...headers, 'x-csrf-token': login.json().csrfToken } });
  const changed = await api.post('/auth/password', { currentPassword: 'temporary-password-1', newPassword: 'her-own-password-2' });
  if (changed.statusCode >= 300) throw new Error(`password not changed: ${changed.body}`);
  return api;
};

/**
 * A member's portal session through the SMS login: the code is read from `sent`, the texts the
 * app's log SMS channel wrote. Returns the cookie header and the CSRF token.
 */
export const portalLogin = async (app: App, tenant: Pick<TestTenant, 'code'>, phone: string, sent: readonly string[]) => {
  await app.inject({ method: 'POST', url: '/api/portal/v1/auth/code', payload: { tenantCode: tenant.code, phone } });
  const code = /验证码为 (\d{6})/.exec(sent.at(-1) ?? '')?.[1] ?? '';
  const login = await app.inject({ method: 'POST', url: '/api/portal/v1/auth/login', payload: { tenantCode: tenant.code, phone, code } });
  if (login.statusCode !== 200) throw new Error(`portal login failed: ${login.statusCode} ${login.body}`);
  return { cookie: `yh_mid=${login.cookies.find((entry) => entry.name === 'yh_mid')?.value}`, csrfToken: login.json().csrfToken as string };
};

/** A clock the test moves: starts at `start`, `advanceDays(n)` jumps ahead. */
export const movableClock = (start: string | Date) => {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set: (instant: string | Date) => {
      current = new Date(instant);
    },
    advanceDays: (days: number) => {
      current = new Date(current.getTime() + days * 86_400_000);
    },
  };
};
