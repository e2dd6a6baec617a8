import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.js';
import type { App } from '../../platform/http.js';
import { apiAs, buildTestApp, createTestTenant, loginAs, movableClock, openTestDatabase, randomMobile, type TestTenant } from '../../testing/database.js';
import { createDueTasks } from './service.js';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely in these scenario tests
type Json = Record<string, any>;
type Api = ReturnType<typeof apiAs>;

let database: Database;
let app: App;
let clinic: TestTenant;
let other: TestTenant;
let owner: Api;
let desk: Api;
let nurse: Api;
let consultant: Api;
const clock = movableClock('2026-11-30T02:00:00Z');

const ok = async (response: Promise<{ statusCode: number; body: string; json: () => Json }>, status = 200) => {
  const answer = await response;
  expect(answer.statusCode, answer.body).toBeLessThan(300);
  if (status !== 200) expect(answer.statusCode).toBe(status);
  return answer.json() as Json;
};

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildTestApp(database, { clock });
  clinic = await createTestTenant(database, 'Follow-up clinic');
  other = await createTestTenant(database, 'Other clinic');
  owner = apiAs(app, await loginAs(app, clinic, 'owner'));
  desk = apiAs(app, await loginAs(app, clinic, 'front_desk'));
  nurse = apiAs(app, await loginAs(app, clinic, 'doctor_nurse'));
  consultant = apiAs(app, await loginAs(app, clinic, 'consultant'));
});

afterAll(async () => {
  await app.close();
  await database.close();
});

const sweep = () => database.db.transaction((tx) => createDueTasks(tx, clock.now(), clinic.id));

const setUp = async () => {
  const category = await ok(owner.post('/item-categories', { name: `注射${randomMobile().slice(-4)}` }));
  const hydration = await ok(owner.post('/items', { kind: 'service', name: '水光针', priceFen: 68_000, categoryId: category.id }));
  const cleansing = await ok(owner.post('/items', { kind: 'service', name: '小气泡', priceFen: 19_800 }));
  const rule = await ok(
    owner.post('/followup-rules', {
      name: '注射类术后回访',
      trigger: 'treatment',
      categoryIds: [category.id],
      offsetsDays: [1, 7],
      assignee: 'consultant',
      channel: 'call',
      script: '您好，术后第几天了，有没有红肿？',
    }),
    201,
  );
  const customer = await ok(desk.post('/customers', { name: '林悦', gender: 'female', phone: randomMobile(), consultantId: clinic.staff.consultant.id }), 201);
  return { hydration, cleansing, rule, customer };
};

/** One 水光针 checked out and paid by WeChat Pay: a treatment of the covered category. */
const buyHydration = (hydration: Json, customer: Json) =>
  ok(
    desk.post('/orders', {
      storeId: clinic.storeIds[0],
      customerId: customer.id,
      lines: [{ itemId: hydration.id, quantity: 1 }],
      payments: [{ method: 'wechat', amountFen: 68_000 }],
    }),
    201,
  );

const tasksOf = async (customerId: string) =>
  ((await ok(consultant.get(`/followup-tasks?customerId=${customerId}&due=all`))).items as unknown as Json[]).map((task) => [
    task.title,
    task.dueDate,
    task.status,
  ]);

describe('follow-up rules create tasks', () => {
  it('creates day-1 and day-7 tasks after a treatment of a covered category, across the month end, for her consultant, once', async () => {
    const { hydration, cleansing, customer } = await setUp();
    await ok(
      desk.post('/orders', {
        storeId: clinic.storeIds[0],
        customerId: customer.id,
        lines: [
          { itemId: hydration.id, quantity: 1 },
          { itemId: cleansing.id, quantity: 1 },
        ],
        payments: [{ method: 'wechat', amountFen: 87_800 }],
      }),
      201,
    );
    await sweep();
    await sweep();
    expect(await tasksOf(customer.id)).toEqual([
      ['「水光针」治疗后第 1 天回访', '2026-12-01', 'open'],
      ['「水光针」治疗后第 7 天回访', '2026-12-07', 'open'],
    ]);
    // Hers, in her consultant's list, not the nurse's.
    const mine = await ok(consultant.get('/followup-tasks?scope=mine&due=upcoming&pageSize=100'));
    expect((mine.items as unknown as Json[]).filter((task) => task.customerId === customer.id)).toHaveLength(2);
    const nurses = await ok(nurse.get('/followup-tasks?scope=mine&due=upcoming&pageSize=100'));
    expect((nurses.items as unknown as Json[]).some((task) => task.customerId === customer.id)).toBe(false);
  });

  it('creates tasks from a 划扣 too, assigned to the executor who did it', async () => {
    const { customer } = await setUp();
    const executorRule = await ok(
      owner.post('/followup-rules', { name: '划扣后回访', trigger: 'treatment', offsetsDays: [3], assignee: 'executor', channel: 'wechat', script: '' }),
      201,
    );
    const hydrationItem = await ok(owner.post('/items', { kind: 'service', name: '光子嫩肤', priceFen: 128_000 }));
    const course = await ok(
      owner.post('/items', { kind: 'package', name: '光子三次', priceFen: 300_000, contents: [{ itemId: hydrationItem.id, sessions: 3 }] }),
    );
    await ok(
      desk.post('/orders', {
        storeId: clinic.storeIds[0],
        customerId: customer.id,
        lines: [{ itemId: course.id, quantity: 1 }],
        payments: [{ method: 'cash', amountFen: 300_000 }],
      }),
      201,
    );
    const [held] = (await ok(desk.get(`/customers/${customer.id}/courses`))).items as unknown as { items: { id: string }[] }[];
    await ok(desk.post(`/course-items/${held?.items[0]?.id}/deductions`, { storeId: clinic.storeIds[0], executorId: clinic.staff.doctor_nurse.id }), 201);
    await sweep();
    const tasks = (await ok(nurse.get(`/followup-tasks?customerId=${customer.id}&due=all`))).items as unknown as Json[];
    const fromDeduction = tasks.filter((task) => task.ruleId === executorRule.id);
    expect(fromDeduction.map((task) => [task.title, task.dueDate, task.assigneeId])).toEqual([
      ['「光子嫩肤」治疗后第 3 天回访', '2026-12-03', clinic.staff.doctor_nurse.id],
    ]);
  });

  it('records an outcome once, tries again on a later day after no answer, and moves or hands over a task', async () => {
    const { hydration, customer } = await setUp();
    await buyHydration(hydration, customer);
    await sweep();
    const [first, second] = (await ok(consultant.get(`/followup-tasks?customerId=${customer.id}&due=all`))).items as unknown as Json[];
    const answered = await ok(consultant.post(`/followup-tasks/${first?.id}/outcome`, { outcome: 'no_answer', note: '未接', retryOn: '2026-12-02' }));
    expect(answered.task).toMatchObject({ status: 'done', outcome: 'no_answer', note: '未接' });
    expect(answered.retry).toMatchObject({ status: 'open', dueDate: '2026-12-02', title: first?.title });
    const again = await consultant.post(`/followup-tasks/${first?.id}/outcome`, { outcome: 'reached' });
    expect(again.statusCode).toBe(409);
    const past = await consultant.post(`/followup-tasks/${second?.id}/outcome`, { outcome: 'no_answer', retryOn: '2026-11-01' });
    expect(past.statusCode).toBe(400);
    const moved = await ok(consultant.patch(`/followup-tasks/${second?.id}`, { dueDate: '2026-12-08', assigneeId: null }));
    expect(moved).toMatchObject({ dueDate: '2026-12-08', assigneeId: null });
    const pool = await ok(desk.get('/followup-tasks?scope=pool&due=upcoming'));
    expect((pool.items as unknown as Json[]).some((task) => task.id === second?.id)).toBe(true);
  });

  it('creates a task after a 复诊 without a deal, but not after one with a deal', async () => {
    await ok(
      owner.post('/followup-rules', { name: '复诊未成交', trigger: 'return_no_deal', offsetsDays: [2], assignee: 'consultant', channel: 'call', script: '' }),
      201,
    );
    const { hydration } = await setUp();
    const make = async (name: string) => ok(desk.post('/customers', { name, gender: 'female', phone: randomMobile() }), 201);
    const without = await make('复诊甲');
    const withDeal = await make('复诊乙');
    for (const customer of [without, withDeal]) {
      const visit = await ok(desk.post('/visits', { customerId: customer.id, storeId: clinic.storeIds[0], visitType: 'return' }), 201);
      expect(visit.visitType).toBe('return');
    }
    await buyHydration(hydration, withDeal);
    await sweep();
    const titles = async (id: unknown) =>
      ((await ok(desk.get(`/followup-tasks?customerId=${id}&due=all`))).items as unknown as Json[]).map((task) => task.title);
    expect(await titles(without.id)).toEqual(['2026-11-30 复诊未成交，第 2 天回访']);
    expect((await titles(withDeal.id)).filter((title) => String(title).includes('复诊'))).toEqual([]);
  });

  it('adds a task by hand, and keeps clinics apart', async () => {
    const { customer } = await setUp();
    const added = await ok(consultant.post('/followup-tasks', { customerId: customer.id, dueDate: '2026-11-30', title: '她说月底再联系' }), 201);
    expect(added).toMatchObject({ kind: 'manual', assigneeId: clinic.staff.consultant.id, channel: 'call' });
    const stranger = apiAs(app, await loginAs(app, other, 'owner'));
    expect((await stranger.post(`/followup-tasks/${added.id}/outcome`, { outcome: 'reached' })).statusCode).toBe(404);
    expect((await stranger.post('/followup-tasks', { customerId: customer.id, dueDate: '2026-11-30', title: 'x' })).statusCode).toBe(404);
    expect((await stranger.get(`/followup-tasks?customerId=${customer.id}&due=all`)).statusCode).toBe(404);
    expect(
      (await desk.post('/followup-rules', { name: 'x', trigger: 'sleeping', offsetsDays: [90], assignee: 'pool', channel: 'call', script: '' })).statusCode,
    ).toBe(403);
  });

  it('reports each consultant’s high-value customers and how many she contacted this month', async () => {
    const { hydration, customer } = await setUp();
    await buyHydration(hydration, customer);
    const boss = apiAs(app, await loginAs(app, clinic, 'owner'));
    const mine = async () =>
      ((await ok(boss.get('/followup-relationship?month=2026-11&minSpendFen=60000'))).staff as Json[]).find(
        (row) => row.staffId === clinic.staff.consultant.id,
      );
    const before = await mine();
    expect(before?.customers).toBeGreaterThanOrEqual(1);
    const call = await ok(consultant.post('/followup-tasks', { customerId: customer.id, dueDate: '2026-11-30', title: '月度关怀' }), 201);
    await ok(consultant.post(`/followup-tasks/${call.id}/outcome`, { outcome: 'reached', note: '聊了近况' }));
    const after = await mine();
    expect(after?.contacted).toBe((before?.contacted ?? 0) + 1);
    expect(after?.compliancePercent).toBeGreaterThan(0);
    // Not a consultant's report to read.
    expect((await consultant.get('/followup-relationship')).statusCode).toBe(403);
  });
});
