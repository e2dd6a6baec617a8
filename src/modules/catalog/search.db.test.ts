import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.js';
import type { App } from '../../platform/http.js';
import { apiAs, buildTestApp, createTestTenant, loginAs, openTestDatabase } from '../../testing/database.js';

let database: Database;
let app: App;
let api: ReturnType<typeof apiAs>;

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildTestApp(database);
  const clinic = await createTestTenant(database);
  api = apiAs(app, await loginAs(app, clinic, 'owner'));
});

afterAll(async () => {
  await app.close();
  await database.close();
});

const names = async (q: string) => ((await api.get(`/items?q=${encodeURIComponent(q)}`)).json().items as { name: string }[]).map((item) => item.name);

describe('item search at the desk', () => {
  it('ranks what was typed exactly first (short code, pinyin initials, whole name), then names that start with it, then the rest', async () => {
    const water = (await api.post('/items', { kind: 'service', name: '洗牙', priceFen: 29_800 })).json();
    const photo = (await api.post('/items', { kind: 'service', name: '光子嫩肤', priceFen: 128_000, shortCode: 'GZ1' })).json();
    // Dearer items that an alphabetical order by kind would list first.
    await api.post('/items', { kind: 'package', name: '洗牙年卡', priceFen: 49_800, contents: [{ itemId: water.id, sessions: 4 }] });
    await api.post('/items', { kind: 'package', name: '光子嫩肤疗程', priceFen: 498_000, contents: [{ itemId: photo.id, sessions: 5 }] });
    await api.post('/items', { kind: 'package', name: '超声洗牙光子嫩肤组合', priceFen: 600_000, contents: [{ itemId: photo.id, sessions: 1 }] });

    expect((await names('xy'))[0]).toBe('洗牙');
    expect((await names('gznf'))[0]).toBe('光子嫩肤');
    expect((await names('gz1'))[0]).toBe('光子嫩肤');
    expect(await names('洗牙')).toEqual(['洗牙', '洗牙年卡', '超声洗牙光子嫩肤组合']);
    expect((await names('光子嫩肤')).slice(0, 2)).toEqual(['光子嫩肤', '光子嫩肤疗程']);
    // Without a search the catalogue lists as before: by kind, then name.
    const all = await api.get('/items?pageSize=50');
    expect(all.statusCode).toBe(200);
    expect(all.json().total).toBe(5);
  });
});
