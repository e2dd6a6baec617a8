import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { Database } from '../../db/client.js';
import type { App } from '../../platform/http.js';
import { apiAs, createTestTenant, loginAs, openTestDatabase, portalLogin, randomMobile, type TestTenant } from '../../testing/database.js';
import { logSmsChannel } from '../messaging/dev-channel.js';

let database: Database;
let app: App;
let clinic: TestTenant;
const sent: string[] = [];

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely in these scenario tests
type Json = Record<string, any>;

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildApp({ database, smsChannel: logSmsChannel({ write: (text: string) => sent.push(text) > 0 }) });
  await app.ready();
  clinic = await createTestTenant(database, 'Portal orders clinic');
});

afterAll(async () => {
  await app.close();
  await database.close();
});

const portalGet = (cookie: string, url: string) => app.inject({ method: 'GET', url: `/api/portal/v1${url}`, headers: { cookie } });

describe('her courses and orders in the member portal', () => {
  it('shows the sessions left with each 划扣, her orders newest first and a receipt without the desk’s internals; another customer’s order is not found', async () => {
    const [store = ''] = clinic.storeIds;
    const desk = apiAs(app, await loginAs(app, clinic, 'owner'));
    const phone = randomMobile();
    const member = (await desk.post('/customers', { name: '疗程会员', gender: 'female', phone })).json() as Json;
    const neighbour = (await desk.post('/customers', { name: '邻座客户', gender: 'female', phone: randomMobile() })).json() as Json;
    const water = (await desk.post('/items', { kind: 'service', name: '水光针', priceFen: 68_000 })).json() as Json;
    const course = (
      await desk.post('/items', { kind: 'package', name: '水光针三次卡', priceFen: 180_000, contents: [{ itemId: water.id, sessions: 3 }] })
    ).json() as Json;
    const bought = await desk.post('/orders', {
      storeId: store,
      customerId: member.id,
      lines: [{ itemId: course.id, quantity: 1 }],
      notes: '前台备注：客户怕疼',
      payments: [{ method: 'wechat', amountFen: 180_000 }],
    });
    expect(bought.statusCode, bought.body).toBe(201);
    const held = ((await desk.get(`/customers/${member.id}/courses`)).json() as Json).items[0];
    const deducted = await desk.post(`/course-items/${held.items[0].id}/deductions`, { storeId: store, sessions: 1, executorId: clinic.staff.doctor_nurse.id });
    expect(deducted.statusCode, deducted.body).toBe(201);
    const later = await desk.post('/orders', {
      storeId: store,
      customerId: member.id,
      lines: [{ itemId: water.id, quantity: 1 }],
      payments: [{ method: 'cash', amountFen: 60_000 }],
    });
    expect(later.statusCode, later.body).toBe(201);
    const theirs = await desk.post('/orders', {
      storeId: store,
      customerId: neighbour.id,
      lines: [{ itemId: water.id, quantity: 1 }],
      payments: [{ method: 'cash', amountFen: 68_000 }],
    });

    const { cookie } = await portalLogin(app, clinic, phone, sent);
    const courses = (await portalGet(cookie, '/courses')).json() as Json;
    expect(courses.items).toHaveLength(1);
    expect(courses.items[0]).toMatchObject({
      name: '水光针三次卡',
      isFinished: false,
      items: [{ name: '水光针', totalSessions: 3, usedSessions: 1, remainingSessions: 2 }],
      history: [{ itemName: '水光针', sessions: 1, storeName: '一号店', isReversed: false }],
    });

    const orders = (await portalGet(cookie, '/orders')).json() as Json;
    expect(orders.total).toBe(2);
    expect(orders.items.map((order: Json) => order.number)).toEqual([later.json().number, bought.json().number]);
    expect(orders.items[0]).toMatchObject({ itemNames: ['水光针'], totalFen: 68_000, paidFen: 60_000, arrearsFen: 8_000, storeName: '一号店' });

    const receipt = await portalGet(cookie, `/orders/${bought.json().id}/receipt`);
    expect(receipt.statusCode, receipt.body).toBe(200);
    expect(receipt.json()).toMatchObject({
      number: bought.json().number,
      store: { name: '一号店' },
      lines: [{ name: '水光针三次卡', quantity: 1, amountFen: 180_000 }],
      payments: [{ kind: 'payment', method: 'wechat', amountFen: 180_000 }],
      totalFen: 180_000,
    });
    // Her receipt never carries the desk's notes, staff ids or attribution.
    expect(receipt.body).not.toContain('怕疼');
    expect(receipt.body).not.toContain(clinic.staff.owner.id);
    expect(receipt.json().lines[0]).not.toHaveProperty('attribution');

    expect((await portalGet(cookie, `/orders/${theirs.json().id}/receipt`)).statusCode).toBe(404);
    expect((await portalGet(cookie, `/orders/${crypto.randomUUID()}/receipt`)).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/portal/v1/orders' })).statusCode).toBe(401);
  });
});
