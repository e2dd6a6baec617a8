import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.js';
import type { App } from '../../platform/http.js';
import { auditLog } from '../../platform/tables.js';
import { buildTestApp, createTestTenant, loginAs, openTestDatabase, randomMobile, type Session, type TestTenant } from '../../testing/database.js';
import { customers } from './tables.js';

let database: Database;
let app: App;
let tenant: TestTenant;
let frontDesk: Session;
let marketing: Session;

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildTestApp(database);
  tenant = await createTestTenant(database);
  frontDesk = await loginAs(app, tenant, 'front_desk');
  marketing = await loginAs(app, tenant, 'marketing');
});

afterAll(async () => {
  await app.close();
  await database.close();
});

const customerCount = async () => {
  const [row] = await database.db.select({ total: count() }).from(customers).where(eq(customers.tenantId, tenant.id));
  return Number(row?.total ?? 0);
};

const create = (payload: unknown, session = frontDesk, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/api/v1/customers', headers: { ...session.writeHeaders, ...headers }, payload: payload as object });

describe('creating customers', () => {
  it('creates a customer, normalising the phone, and audits it in the same transaction', async () => {
    const phone = randomMobile();
    const response = await create({
      name: '张三',
      gender: 'female',
      phone: `+86 ${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`,
      birthday: { calendar: 'solar', date: '1990-10-03' },
      tags: ['VIP', 'VIP', '怕疼'],
      allergies: ['青霉素'],
      firstStoreId: tenant.storeIds[0],
      consultantId: tenant.staff.consultant.id,
    });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({ name: '张三', phone, isPhoneMasked: false, tags: ['VIP', '怕疼'], allergies: ['青霉素'] });
    expect(body.birthday).toMatchObject({ calendar: 'solar', solarDate: '1990-10-03', lunar: { month: 8, day: 15, label: '农历八月十五' } });
    const audits = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, tenant.id), eq(auditLog.entityId, body.id)));
    expect(audits.map((entry) => entry.action)).toEqual(['customer.create']);
    expect(audits[0]?.actorId).toBe(tenant.staff.front_desk.id);
  });

  it('stores a lunar birthday as the solar date of birth it falls on', async () => {
    const response = await create({
      name: '李乐',
      gender: 'female',
      phone: randomMobile(),
      birthday: { calendar: 'lunar', year: 2020, month: 4, day: 10, isLeapMonth: true },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json().birthday).toMatchObject({ calendar: 'lunar', solarDate: '2020-06-01', lunar: { month: 4, day: 10, isLeapMonth: true } });
  });

  it('refuses a lunar date that does not exist (no leap 4th month in 2021) with 400 on the field', async () => {
    const before = await customerCount();
    const response = await create({
      name: '王五',
      gender: 'male',
      phone: randomMobile(),
      birthday: { calendar: 'lunar', year: 2021, month: 4, day: 10, isLeapMonth: true },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details).toEqual([{ path: 'body.birthday', message: expect.stringContaining('闰4月') }]);
    expect(await customerCount()).toBe(before);
  });

  it('answers a duplicate phone with 409 and a message naming the masked number', async () => {
    const phone = randomMobile();
    expect((await create({ name: '甲', gender: 'female', phone })).statusCode).toBe(201);
    const before = await customerCount();
    const response = await create({ name: '乙', gender: 'female', phone: `${phone.slice(0, 3)}-${phone.slice(3)}` });
    expect(response.statusCode).toBe(409);
    expect(response.json().error).toMatchObject({ code: 'CUSTOMER_PHONE_TAKEN', message: expect.stringContaining(`${phone.slice(0, 3)}****`) });
    expect(await customerCount()).toBe(before);
  });

  it.each([
    ['an invalid phone', { name: '丙', gender: 'female', phone: '12345' }, 'body.phone'],
    ['an overlong name', { name: '长'.repeat(41), gender: 'female', phone: randomMobile() }, 'body.name'],
    ['an unknown field', { name: '丁', gender: 'female', phone: randomMobile(), tenantId: 'x' }, 'body.tenantId'],
    ['a wrong type', { name: '戊', gender: 5, phone: randomMobile() }, 'body.gender'],
    ['a missing field', { gender: 'female', phone: randomMobile() }, 'body.name'],
    [
      'a birthday in the future',
      { name: '未来', gender: 'female', phone: randomMobile(), birthday: { calendar: 'solar', date: '2999-01-01' } },
      'body.birthday.date',
    ],
    ['a bad nested value', { name: '己', gender: 'female', phone: randomMobile(), birthday: { calendar: 'solar', date: '1990-13-01' } }, 'body.birthday.date'],
  ])('refuses %s with 400, the field path and nothing written', async (_case, payload, path) => {
    const before = await customerCount();
    const response = await create(payload);
    expect(response.statusCode).toBe(400);
    const error = response.json().error;
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.details.map((detail: { path: string }) => detail.path)).toContain(path);
    expect(await customerCount()).toBe(before);
  });

  it('refuses malformed JSON with 400', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: { ...frontDesk.writeHeaders, 'content-type': 'application/json' },
      payload: '{"name": "张',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('MALFORMED_JSON');
  });

  it('refuses references to rows that do not exist in this clinic with 404 on the field', async () => {
    const response = await create({ name: '庚', gender: 'female', phone: randomMobile(), referrerId: '01900000-0000-7000-8000-000000000000' });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.details).toEqual([{ path: 'body.referrerId', message: '推荐人不存在' }]);
  });

  it('needs the write permission and a CSRF token', async () => {
    expect((await create({ name: '辛', gender: 'female', phone: randomMobile() }, marketing)).statusCode).toBe(403);
    const withoutCsrf = await app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: frontDesk.headers,
      payload: { name: '壬', gender: 'female', phone: randomMobile() },
    });
    expect(withoutCsrf.statusCode).toBe(403);
    expect(withoutCsrf.json().error.code).toBe('CSRF_TOKEN_INVALID');
    expect((await app.inject({ method: 'GET', url: '/api/v1/customers' })).statusCode).toBe(401);
  });
});

describe('editing customers', () => {
  it('changes fields, keeps search keys in sync and audits before and after', async () => {
    const created = (await create({ name: '周芷若', gender: 'female', phone: randomMobile() })).json();
    const response = await app.inject({
      method: 'PATCH',
      url: `/api/v1/customers/${created.id}`,
      headers: frontDesk.writeHeaders,
      payload: { name: '单芷若', notes: '改名' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ name: '单芷若', notes: '改名' });
    const found = await app.inject({ method: 'GET', url: '/api/v1/customers?q=szr', headers: frontDesk.headers });
    expect(found.json().items.map((item: { id: string }) => item.id)).toContain(created.id);
    const [audit] = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, tenant.id), eq(auditLog.entityId, created.id), eq(auditLog.action, 'customer.update')));
    expect(audit?.before).toMatchObject({ name: '周芷若' });
    expect(audit?.after).toMatchObject({ name: '单芷若' });
  });

  it('refuses making a customer her own referrer', async () => {
    const created = (await create({ name: '赵敏', gender: 'female', phone: randomMobile() })).json();
    const response = await app.inject({
      method: 'PATCH',
      url: `/api/v1/customers/${created.id}`,
      headers: frontDesk.writeHeaders,
      payload: { referrerId: created.id },
    });
    expect(response.statusCode).toBe(422);
  });
});

describe('searching and filtering', () => {
  let target: { id: string; phone: string };

  beforeAll(async () => {
    const phone = randomMobile();
    target = { ...(await create({ name: '曾晓燕', gender: 'female', phone, tags: ['高净值'], allergies: ['利多卡因'] })).json(), phone };
  });

  const search = async (query: string, session = frontDesk) => {
    const response = await app.inject({ method: 'GET', url: `/api/v1/customers?${query}`, headers: session.headers });
    expect(response.statusCode).toBe(200);
    return response.json() as { items: { id: string; phone: string; isPhoneMasked: boolean }[]; total: number };
  };

  it('finds her by pinyin initials with the surname reading (zxy) and the other reading (cxy)', async () => {
    expect((await search('q=zxy')).items.map((item) => item.id)).toContain(target.id);
    expect((await search('q=cxy')).items.map((item) => item.id)).toContain(target.id);
    expect((await search('q=zengxiao')).items.map((item) => item.id)).toContain(target.id);
  });

  it('finds her by phone tail, whole phone and part of the name', async () => {
    expect((await search(`q=${target.phone.slice(-4)}`)).items.map((item) => item.id)).toContain(target.id);
    expect((await search(`q=${target.phone}`)).items.map((item) => item.id)).toEqual([target.id]);
    expect((await search(`q=${encodeURIComponent('晓燕')}`)).items.map((item) => item.id)).toContain(target.id);
    // As people write numbers: spaced, dashed, with the country code.
    const phone = target.phone;
    for (const written of [
      `${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`,
      `${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}`,
      `+86 ${phone}`,
      `0086${phone}`,
    ]) {
      expect((await search(`q=${encodeURIComponent(written)}`)).items.map((item) => item.id)).toEqual([target.id]);
    }
    expect((await search(`q=${encodeURIComponent(`${phone.slice(-8, -4)} ${phone.slice(-4)}`)}`)).items.map((item) => item.id)).toContain(target.id);
  });

  it('filters by tag, allergy and gender, and pages', async () => {
    const byTag = await search(`tag=${encodeURIComponent('高净值')}`);
    expect(byTag.items.map((item) => item.id)).toEqual([target.id]);
    const allergic = await search('hasAllergy=true&pageSize=100');
    expect(allergic.items.map((item) => item.id)).toContain(target.id);
    const notAllergic = await search('hasAllergy=false&pageSize=100');
    expect(notAllergic.items.map((item) => item.id)).not.toContain(target.id);
    const firstPage = await search('pageSize=2&page=1');
    const secondPage = await search('pageSize=2&page=2');
    expect(firstPage.items).toHaveLength(2);
    expect(firstPage.total).toBe(await customerCount());
    expect(secondPage.items[0]?.id).not.toBe(firstPage.items[0]?.id);
  });

  it('treats LIKE wildcards in the query as text', async () => {
    expect((await search('q=%25')).total).toBe(0);
  });

  it('refuses bad query parameters with 400 naming them', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/customers?pageSize=1000&gender=x', headers: frontDesk.headers });
    expect(response.statusCode).toBe(400);
    const paths = response.json().error.details.map((detail: { path: string }) => detail.path);
    expect(paths).toEqual(expect.arrayContaining(['query.pageSize', 'query.gender']));
  });

  it('masks phones for roles without the permission, everywhere a customer is returned', async () => {
    const masked = `${target.phone.slice(0, 3)}****${target.phone.slice(-4)}`;
    const list = await search(`q=${target.phone.slice(-4)}`, marketing);
    const item = list.items.find((entry) => entry.id === target.id);
    expect(item).toMatchObject({ phone: masked, isPhoneMasked: true });
    const one = await app.inject({ method: 'GET', url: `/api/v1/customers/${target.id}`, headers: marketing.headers });
    expect(one.json().phone).toBe(masked);
    const whole = await app.inject({ method: 'GET', url: `/api/v1/customers/${target.id}/360`, headers: marketing.headers });
    expect(whole.json().customer.phone).toBe(masked);
    expect(whole.body).not.toContain(target.phone);
    const full = await app.inject({ method: 'GET', url: `/api/v1/customers/${target.id}`, headers: frontDesk.headers });
    expect(full.json()).toMatchObject({ phone: target.phone, isPhoneMasked: false });
  });

  it('counts static tags in use', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/customer-tags', headers: frontDesk.headers });
    expect(response.json().items).toContainEqual({ tag: '高净值', count: 1 });
  });
});

describe('family and the 360 page', () => {
  it('links family members, shows them on the 360 page with the referrer, and unlinks them', async () => {
    const mother = (await create({ name: '王秀英', gender: 'female', phone: randomMobile(), allergies: ['青霉素'] })).json();
    const daughter = (await create({ name: '李一诺', gender: 'female', phone: randomMobile(), referrerId: mother.id })).json();
    const other = (await create({ name: '孙倩', gender: 'female', phone: randomMobile() })).json();

    const linked = await app.inject({
      method: 'POST',
      url: `/api/v1/customers/${mother.id}/family`,
      headers: frontDesk.writeHeaders,
      payload: { memberId: daughter.id, relation: '女儿' },
    });
    expect(linked.statusCode).toBe(200);
    expect(linked.json().members.map((member: { name: string }) => member.name)).toEqual(['王秀英', '李一诺']);

    const again = await app.inject({
      method: 'POST',
      url: `/api/v1/customers/${other.id}/family`,
      headers: frontDesk.writeHeaders,
      payload: { memberId: daughter.id },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('FAMILY_MEMBER_IN_OTHER_FAMILY');

    const view = (await app.inject({ method: 'GET', url: `/api/v1/customers/${daughter.id}/360`, headers: frontDesk.headers })).json();
    expect(view.referrer).toEqual({ id: mother.id, name: '王秀英' });
    expect(view.family.members).toContainEqual({ id: daughter.id, name: '李一诺', relation: '女儿', gender: 'female' });
    const motherView = (await app.inject({ method: 'GET', url: `/api/v1/customers/${mother.id}/360`, headers: frontDesk.headers })).json();
    expect(motherView.referrals.map((referral: { id: string }) => referral.id)).toEqual([daughter.id]);
    expect(motherView.customer.allergies).toEqual(['青霉素']);

    const removed = await app.inject({ method: 'DELETE', url: `/api/v1/customers/${mother.id}/family/${daughter.id}`, headers: frontDesk.writeHeaders });
    expect(removed.statusCode).toBe(204);
    // A family of one dissolves.
    const after = (await app.inject({ method: 'GET', url: `/api/v1/customers/${mother.id}/360`, headers: frontDesk.headers })).json();
    expect(after.family).toBeNull();
  });
});

describe('audit trail', () => {
  it('shows who changed which fields of a customer, to roles with the permission only', async () => {
    const created = (await create({ name: '审计', gender: 'female', phone: randomMobile() })).json();
    await app.inject({
      method: 'PATCH',
      url: `/api/v1/customers/${created.id}`,
      headers: frontDesk.writeHeaders,
      payload: { notes: '第一次修改', tags: ['VIP'] },
    });
    const owner = await loginAs(app, tenant, 'owner');
    const response = await app.inject({ method: 'GET', url: `/api/v1/audit-log?entityType=customer&entityId=${created.id}`, headers: owner.headers });
    expect(response.statusCode).toBe(200);
    const [update, creation] = response.json().items;
    expect(update).toMatchObject({ action: 'customer.update', actorName: 'front_desk 员工' });
    expect(update.changes).toEqual([
      { field: 'notes', before: null, after: '第一次修改' },
      { field: 'tags', before: [], after: ['VIP'] },
    ]);
    expect(creation.action).toBe('customer.create');
    expect((await app.inject({ method: 'GET', url: '/api/v1/audit-log', headers: frontDesk.headers })).statusCode).toBe(403);
  });
});
