import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { Database } from '../../db/client.js';
import type { App } from '../../platform/http.js';
import { apiAs, createTestTenant, loginAs, movableClock, openTestDatabase, portalLogin, randomMobile, type TestTenant } from '../../testing/database.js';
import { logSmsChannel } from '../messaging/dev-channel.js';

let database: Database;
let app: App;
let clinic: TestTenant;
const sent: string[] = [];
// 09:00 in Shanghai on 2026-12-07.
const clock = movableClock('2026-12-07T01:00:00Z');

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely in these scenario tests
type Json = Record<string, any>;

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildApp({ database, clock, smsChannel: logSmsChannel({ write: (text: string) => sent.push(text) > 0 }) });
  await app.ready();
  clinic = await createTestTenant(database, 'Booking clinic');
});

afterAll(async () => {
  await app.close();
  await database.close();
});

const member = async (phone: string) => {
  const session = await portalLogin(app, clinic, phone, sent);
  const headers = { cookie: session.cookie, 'x-csrf-token': session.csrfToken };
  return {
    get: (url: string) => app.inject({ method: 'GET', url: `/api/portal/v1${url}`, headers }),
    post: (url: string, payload?: object) => app.inject({ method: 'POST', url: `/api/portal/v1${url}`, headers, ...(payload ? { payload } : {}) }),
  };
};

describe('预约到店 in the member portal', () => {
  it('offers the open slots, books one, takes each slot only as many times as the store allows, and the desk sees the booking', async () => {
    const [store = ''] = clinic.storeIds;
    const owner = apiAs(app, await loginAs(app, clinic, 'owner'));
    const settings = await owner.put('/settings/booking', {
      isOpen: true,
      opensAt: '10:00',
      closesAt: '12:00',
      slotMinutes: 30,
      perSlot: 1,
      daysAhead: 7,
      leadMinutes: 120,
    });
    expect(settings.statusCode, settings.body).toBe(200);
    const item = (await owner.post('/items', { kind: 'service', name: '小气泡清洁', priceFen: 29_800 })).json() as Json;
    const goods = (await owner.post('/items', { kind: 'goods', name: '面膜', priceFen: 9_800 })).json() as Json;
    const phones = [randomMobile(), randomMobile()];
    for (const [index, phone] of phones.entries()) await owner.post('/customers', { name: `预约会员${index}`, gender: 'female', phone });
    const first = await member(phones[0] ?? '');
    const second = await member(phones[1] ?? '');

    const options = (await first.get('/booking')).json() as Json;
    expect(options.isOpen).toBe(true);
    expect(options.stores.map((entry: Json) => entry.id)).toContain(store);
    expect(options.items.map((entry: Json) => entry.name)).toEqual(['小气泡清洁']);
    expect(options.days).toHaveLength(8);
    expect(options.days[0]).toBe('2026-12-07');

    // Today at 09:00 with a 2-hour lead: 10:00 and 10:30 are too soon, 11:00 and 11:30 are free.
    const today = (await first.get(`/booking/slots?storeId=${store}&date=2026-12-07`)).json() as Json;
    expect(today.slots).toEqual([
      { startsAt: '2026-12-07T02:00:00.000Z', isAvailable: false },
      { startsAt: '2026-12-07T02:30:00.000Z', isAvailable: false },
      { startsAt: '2026-12-07T03:00:00.000Z', isAvailable: true },
      { startsAt: '2026-12-07T03:30:00.000Z', isAvailable: true },
    ]);
    expect((await first.get(`/booking/slots?storeId=${store}&date=2026-12-15`)).json().slots).toEqual([]);

    const slot = '2026-12-07T11:00:00+08:00';
    const booking = { storeId: store, itemId: item.id, startsAt: slot };
    const [mine, theirs] = await Promise.all([first.post('/appointments', booking), second.post('/appointments', booking)]);
    // One slot's one place: exactly one of the two got it.
    expect([mine.statusCode, theirs.statusCode].sort()).toEqual([201, 422]);
    const winner = mine.statusCode === 201 ? first : second;
    const made = (mine.statusCode === 201 ? mine : theirs).json() as Json;
    expect(made).toMatchObject({ itemNames: ['小气泡清洁'], status: 'booked', durationMinutes: 30 });
    expect((mine.statusCode === 422 ? mine : theirs).json().error.code).toBe('BOOKING_SLOT_UNAVAILABLE');
    // The same booking again is the same appointment.
    const again = await winner.post('/appointments', booking);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(made.id);

    // Not a service, too soon, outside the hours: refused, nothing written.
    expect((await first.post('/appointments', { ...booking, itemId: goods.id })).json().error.code).toBe('BOOKING_ITEM_INVALID');
    expect((await first.post('/appointments', { ...booking, startsAt: '2026-12-07T10:00:00+08:00' })).statusCode).toBe(422);
    expect((await first.post('/appointments', { ...booking, startsAt: '2026-12-08T12:00:00+08:00' })).statusCode).toBe(422);

    // The desk finds it in the appointment book of the day.
    const book = (await owner.get(`/appointments?storeId=${store}&businessDate=2026-12-07`)).json() as Json;
    expect(book.items.map((entry: Json) => entry.id)).toContain(made.id);
    expect(book.items.find((entry: Json) => entry.id === made.id).notes).toBe('会员在线预约');

    // She sees it, cancels it, and the place is free again.
    expect(((await winner.get('/appointments')).json() as Json).items.map((entry: Json) => entry.id)).toEqual([made.id]);
    expect((await winner.post(`/appointments/${made.id}/cancel`)).statusCode).toBe(204);
    expect(((await winner.get('/appointments')).json() as Json).items).toEqual([]);
    const loser = winner === first ? second : first;
    expect((await loser.post('/appointments', booking)).statusCode).toBe(201);
    // Another's appointment cannot be cancelled.
    expect((await winner.post(`/appointments/${made.id}/cancel`)).statusCode).toBe(409);
  });

  it('offers nothing when the clinic has switched online booking off', async () => {
    const owner = apiAs(app, await loginAs(app, clinic, 'owner'));
    const current = (await owner.get('/settings/booking')).json() as Json;
    expect((await owner.put('/settings/booking', { ...current, isOpen: false })).statusCode).toBe(200);
    const phone = randomMobile();
    await owner.post('/customers', { name: '关闭预约会员', gender: 'female', phone });
    const someone = await member(phone);
    const options = (await someone.get('/booking')).json() as Json;
    expect(options).toMatchObject({ isOpen: false, days: [] });
    expect((await someone.get(`/booking/slots?storeId=${clinic.storeIds[0]}&date=2026-12-08`)).json().slots).toEqual([]);
  });
});
