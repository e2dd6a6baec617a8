import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, queryRows } from '../../db/client.js';
import { makeCtx } from '../../platform/context.js';
import type { App } from '../../platform/http.js';
import { createJobRunner, getJobRow } from '../../platform/jobs.js';
import { apiAs, buildTestApp, createTestTenant, loginAs, movableClock, openTestDatabase, randomMobile, type TestTenant } from '../../testing/database.js';
import { campaignJobKind, createCampaign, runCampaignJobStep } from './campaigns.js';
import { followupTasks } from './tables.js';

/**
 * 呼叫活动 (seed 004: 10 000 members, time for 2 000, grade B first): customers ordered by what
 * they paid, the best N dealt to the callers round-robin, one task each whatever the retries,
 * progress towards the goal, and a cancel that closes only what is still open.
 */
// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely in these scenario tests
type Json = Record<string, any>;

let database: Database;
let app: App;
let clinic: TestTenant;
let other: TestTenant;
let owner: ReturnType<typeof apiAs>;
let consultant: ReturnType<typeof apiAs>;
const clock = movableClock('2026-11-30T02:00:00Z');
const today = '2026-11-30';

const ok = async (response: Promise<{ statusCode: number; body: string; json: () => Json }>, status = 200) => {
  const answer = await response;
  expect(answer.statusCode, answer.body).toBe(status);
  return answer.json() as Json;
};

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildTestApp(database, { clock });
  clinic = await createTestTenant(database, 'Campaign clinic');
  other = await createTestTenant(database, 'Other campaign clinic');
  owner = apiAs(app, await loginAs(app, clinic, 'owner'));
  consultant = apiAs(app, await loginAs(app, clinic, 'consultant'));
});

afterAll(async () => {
  await app.close();
  await database.close();
});

/**
 * Customers tagged with a fresh grade, each with what she paid and consumed (her facts written
 * directly: only the ranking reads them). Returns their ids in the order given.
 */
const gradeOf = async (values: [moneyFen: number, consumptionFen: number][]) => {
  const tag = `B类${randomMobile().slice(-6)}`;
  const ids: string[] = [];
  for (const [index, [moneyFen, consumptionFen]] of values.entries()) {
    const customer = await ok(owner.post('/customers', { name: `老客${index}`, gender: 'female', phone: randomMobile(), tags: [tag] }), 201);
    ids.push(customer.id);
    await database.db.execute(
      sql`insert into customer_facts (tenant_id, customer_id, money_fen, consumption_fen) values (${clinic.id}, ${customer.id}, ${moneyFen}, ${consumptionFen})
          on conflict (tenant_id, customer_id) do update set money_fen = excluded.money_fen, consumption_fen = excluded.consumption_fen`,
    );
  }
  // Someone outside the grade, richer than all of them: never in the campaign.
  await ok(owner.post('/customers', { name: '其他客户', gender: 'female', phone: randomMobile(), tags: ['A类'] }), 201);
  return { tag, ids };
};

const callers = () => [clinic.staff.consultant.id, clinic.staff.doctor_nurse.id, clinic.staff.front_desk.id];

const campaignBody = (tag: string, overrides: Record<string, unknown> = {}) => ({
  name: '老客回访 · 12月',
  audience: { kind: 'filter', filter: { tags: [tag] } },
  maxCount: null,
  goal: 4,
  dueOn: today,
  staffIds: callers(),
  channel: 'call',
  script: '您好，这里是悦会，会员回馈活动想跟您说一下。',
  ...overrides,
});

/** The campaign's tasks in value order of their customers (as given to `gradeOf`). */
const tasksOf = async (campaignId: string) =>
  database.db
    .select({
      id: followupTasks.id,
      customerId: followupTasks.customerId,
      assigneeId: followupTasks.assigneeId,
      status: followupTasks.status,
      outcome: followupTasks.outcome,
    })
    .from(followupTasks)
    .where(and(eq(followupTasks.tenantId, clinic.id), eq(followupTasks.campaignId, campaignId)))
    .orderBy(asc(followupTasks.createdAt), asc(followupTasks.id));

const create = async (body: Json, key?: string) => {
  const created = await ok(owner.post('/followup-campaigns', body, key), 201);
  await app.jobs.idle();
  return created;
};

describe('call campaigns', () => {
  it('previews, then gives the best customers by value one task each, dealt round-robin, and the cap leaves the rest out', async () => {
    // Paid: 5 000, 9 000, 1 000, 9 000 (consumed more), 7 000, 3 000, 9 000 (same as #3: by id), 500.
    const { tag, ids } = await gradeOf([
      [500_000, 0],
      [900_000, 100_000],
      [100_000, 0],
      [900_000, 200_000],
      [700_000, 0],
      [300_000, 0],
      [900_000, 100_000],
      [50_000, 0],
    ]);
    const [tieA, tieB] = [ids[1], ids[6]].sort() as [string, string];
    const byValue = [ids[3], tieA, tieB, ids[4], ids[0], ids[5], ids[2], ids[7]];

    const preview = await ok(
      owner.post('/followup-campaigns/preview', { audience: { kind: 'filter', filter: { tags: [tag] } }, maxCount: 5, staffIds: callers() }),
    );
    expect(preview).toMatchObject({ matched: 8, assigned: 5 });
    expect(preview.staff.map((staff: Json) => [staff.staffId, staff.count])).toEqual([
      [clinic.staff.consultant.id, 2],
      [clinic.staff.doctor_nurse.id, 2],
      [clinic.staff.front_desk.id, 1],
    ]);

    const created = await create(campaignBody(tag, { maxCount: 5 }));
    expect(created.job.progress.total).toBe(5);
    const tasks = await tasksOf(created.campaign.id);
    const customerToAssignee = new Map(tasks.map((task) => [task.customerId, task.assigneeId]));
    expect(tasks).toHaveLength(5);
    expect(byValue.slice(0, 5).map((id) => customerToAssignee.get(id as string))).toEqual([...callers(), ...callers().slice(0, 2)]);
    expect(byValue.slice(5).some((id) => customerToAssignee.has(id as string))).toBe(false);

    const detail = await ok(owner.get(`/followup-campaigns/${created.campaign.id}`));
    expect(detail).toMatchObject({ status: 'running', isAssigning: false, progress: { total: 5, open: 5, done: 0, reached: 0 }, goalPercent: 0 });
    expect(detail.job).toMatchObject({ status: 'succeeded', progress: { done: 5, total: 5 } });
    expect(detail.staff.map((staff: Json) => [staff.staffId, staff.total])).toEqual([
      [clinic.staff.consultant.id, 2],
      [clinic.staff.doctor_nurse.id, 2],
      [clinic.staff.front_desk.id, 1],
    ]);

    // Each caller finds hers in 我的 today, as any other follow-up.
    const mine = await ok(consultant.get('/followup-tasks?scope=mine&due=today&pageSize=100'));
    const ofCampaign = mine.items.filter((task: Json) => task.campaignId === created.campaign.id);
    expect(ofCampaign.map((task: Json) => task.customerId).sort()).toEqual([byValue[0], byValue[3]].sort());
    expect(ofCampaign[0]).toMatchObject({ kind: 'campaign', title: '老客回访 · 12月', channel: 'call', dueDate: today, status: 'open' });
  });

  it('runs in several steps with the same order, and a replay of the request or a rerun of the job makes nothing twice', async () => {
    const { tag, ids } = await gradeOf([
      [100_000, 0],
      [600_000, 0],
      [300_000, 0],
      [500_000, 0],
      [200_000, 0],
    ]);
    const byValue = [ids[1], ids[3], ids[2], ids[4], ids[0]];
    const key = `campaign-${randomMobile()}`;
    const first = await create(campaignBody(tag), key);
    const replay = await owner.post('/followup-campaigns', campaignBody(tag), key);
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json().campaign.id).toBe(first.campaign.id);
    await app.jobs.idle();
    const list = await ok(owner.get('/followup-campaigns?pageSize=100'));
    expect(list.items.filter((campaign: Json) => campaign.id === first.campaign.id)).toHaveLength(1);
    expect(await tasksOf(first.campaign.id)).toHaveLength(5);

    // Two customers per step: the round-robin continues across steps.
    const ctx = makeCtx({ tenantId: clinic.id, type: 'staff', id: clinic.staff.owner.id }, clock.now(), 'Asia/Shanghai');
    const { campaign, job } = await database.db.transaction((tx) =>
      createCampaign(tx, ctx, { ...campaignBody(tag), maxCount: 4, audience: { kind: 'filter', filter: { tags: [tag] } } } as never, { chunkSize: 2 }),
    );
    const runner = createJobRunner({ db: database.db, clock, handlers: { [campaignJobKind]: runCampaignJobStep } });
    expect(await runner.runNext(job)).toBe(true);
    const finished = await getJobRow(database.db, clinic.id, job.id);
    expect(finished).toMatchObject({ status: 'succeeded', progressDone: 4, result: { customers: 4, created: 4, alreadyHad: 0 } });
    const stepped = await tasksOf(campaign.id);
    const assigneeOf = new Map(stepped.map((task) => [task.customerId, task.assigneeId]));
    expect(byValue.slice(0, 4).map((id) => assigneeOf.get(id as string))).toEqual([...callers(), callers()[0]]);

    // The job run again from the start (a step retried after a lost commit): every customer already has her task.
    const again = await database.db.transaction((tx) =>
      runCampaignJobStep(
        tx,
        { ...finished, state: null, result: null, progressDone: 0, actor: { tenantId: clinic.id, type: 'staff', id: clinic.staff.owner.id } },
        clock.now(),
      ),
    );
    expect(again.result).toEqual({ customers: 2, created: 0, alreadyHad: 2 });
    expect(await tasksOf(campaign.id)).toHaveLength(4);
  });

  it('refuses another clinic’s staff and unknown ones (404) and disabled ones (422), making nothing', async () => {
    const { tag } = await gradeOf([[100_000, 0]]);
    const foreign = await owner.post('/followup-campaigns', campaignBody(tag, { staffIds: [clinic.staff.consultant.id, other.staff.consultant.id] }));
    expect(foreign.statusCode, foreign.body).toBe(404);
    expect(foreign.json().error.details).toEqual([{ path: 'body.staffIds.1', message: expect.any(String) }]);
    const foreignPreview = await owner.post('/followup-campaigns/preview', {
      audience: { kind: 'filter', filter: { tags: [tag] } },
      staffIds: [other.staff.owner.id],
    });
    expect(foreignPreview.statusCode).toBe(404);

    const temp = await ok(
      owner.post('/staff', { username: `caller${randomMobile().slice(-5)}`, displayName: '临时', role: 'consultant', password: 'temporary-password-1' }),
      201,
    );
    await ok(owner.post(`/staff/${temp.id}/disable`, {}));
    const disabled = await owner.post('/followup-campaigns', campaignBody(tag, { staffIds: [temp.id] }));
    expect(disabled.statusCode, disabled.body).toBe(422);
    expect(disabled.json().error.code).toBe('FOLLOWUP_CAMPAIGN_STAFF_DISABLED');

    const past = await owner.post('/followup-campaigns', campaignBody(tag, { dueOn: '2026-11-29' }));
    expect(past.statusCode).toBe(400);
    const [row] = await queryRows<{ count: number }>(
      database.db,
      sql`select count(*)::int as count from followup_campaigns where tenant_id = ${clinic.id} and audience->'filter'->'tags'->>0 = ${tag}`,
    );
    expect(Number(row?.count)).toBe(0);
    expect((await owner.get('/followup-campaigns/00000000-0000-7000-8000-000000000000')).statusCode).toBe(404);
  });

  it('counts progress per customer and caller, finishes when every task has its outcome, and a cancel closes only the open ones', async () => {
    const { tag, ids } = await gradeOf([
      [600_000, 0],
      [500_000, 0],
      [400_000, 0],
      [300_000, 0],
      [200_000, 0],
      [100_000, 0],
    ]);
    const created = await create(campaignBody(tag, { goal: 4 }));
    // In value order: callers 1, 2, 3, 1, 2, 3.
    const inValueOrder = (list: Awaited<ReturnType<typeof tasksOf>>) =>
      [...list].sort((a, b) => ids.indexOf(a.customerId) - ids.indexOf(b.customerId) || (a.status === 'done' ? -1 : 1));
    const tasks = inValueOrder(await tasksOf(created.campaign.id));
    expect(tasks.map((task) => task.assigneeId)).toEqual([...callers(), ...callers()]);
    const outcome = (index: number, body: Json) => ok(owner.post(`/followup-tasks/${tasks[index]?.id}/outcome`, body));
    await outcome(0, { outcome: 'reached' });
    await outcome(1, { outcome: 'booked' });
    await outcome(2, { outcome: 'declined' });
    const noAnswer = await outcome(3, { outcome: 'no_answer', retryOn: '2026-12-01' });
    expect(noAnswer.retry).toMatchObject({ campaignId: created.campaign.id, status: 'open', assigneeId: tasks[3]?.assigneeId });
    await outcome(4, { outcome: 'wrong_number' });

    const detail = await ok(owner.get(`/followup-campaigns/${created.campaign.id}`));
    // Customer 4 tries again tomorrow: open, not "no answer", until the retry has its outcome.
    expect(detail.progress).toEqual({ total: 6, done: 4, open: 2, reached: 2, booked: 1, declined: 1, noAnswer: 0, wrongNumber: 1, cancelled: 0 });
    expect(detail.goalPercent).toBe(50);
    const byStaff = new Map(detail.staff.map((staff: Json) => [staff.staffId, staff]));
    expect(byStaff.get(clinic.staff.consultant.id)).toMatchObject({ total: 2, reached: 1, open: 1 });
    expect(byStaff.get(clinic.staff.doctor_nurse.id)).toMatchObject({ total: 2, reached: 1, booked: 1, wrongNumber: 1, open: 0 });
    expect(byStaff.get(clinic.staff.front_desk.id)).toMatchObject({ total: 2, declined: 1, open: 1 });
    const listed = (await ok(owner.get('/followup-campaigns?pageSize=100'))).items.find((campaign: Json) => campaign.id === created.campaign.id);
    expect(listed).toMatchObject({ progress: detail.progress, goalPercent: 50, status: 'running' });

    // Readers see it; they may not cancel it.
    expect((await consultant.post(`/followup-campaigns/${created.campaign.id}/cancel`, {})).statusCode).toBe(403);
    const cancelled = await ok(owner.post(`/followup-campaigns/${created.campaign.id}/cancel`, {}));
    expect(cancelled).toMatchObject({ status: 'cancelled', progress: { total: 6, done: 4, open: 0, reached: 2, cancelled: 2 } });
    const after = inValueOrder(await tasksOf(created.campaign.id));
    expect(after.map((task) => [task.status, task.outcome])).toEqual([
      ['done', 'reached'],
      ['done', 'booked'],
      ['done', 'declined'],
      ['done', 'no_answer'],
      ['cancelled', null],
      ['done', 'wrong_number'],
      ['cancelled', null],
    ]);
    const late = await owner.post(`/followup-tasks/${after[6]?.id}/outcome`, { outcome: 'reached' });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('FOLLOWUP_TASK_CANCELLED');
    expect((await owner.post(`/followup-campaigns/${created.campaign.id}/cancel`, {})).statusCode).toBe(409);
    // A cancelled task leaves 我的 lists; the customer's history still lists it.
    const history = await ok(owner.get(`/followup-tasks?customerId=${after[6]?.customerId}&due=all`));
    expect(history.items.some((task: Json) => task.status === 'cancelled')).toBe(true);

    // Another campaign, every task answered: done.
    const small = await gradeOf([[100_000, 0]]);
    const second = await create(campaignBody(small.tag, { goal: 1 }));
    const [only] = await tasksOf(second.campaign.id);
    await ok(owner.post(`/followup-tasks/${only?.id}/outcome`, { outcome: 'reached' }));
    expect(await ok(owner.get(`/followup-campaigns/${second.campaign.id}`))).toMatchObject({
      status: 'done',
      goalPercent: 100,
      finishedAt: expect.any(String),
    });
  });
});
