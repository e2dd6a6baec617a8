import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Executor, queryRows } from '../../db/client.js';
import { systemActor, writeAudit } from '../../platform/audit.js';
import { addDays, businessDate, startOfBusinessDay } from '../../platform/clock.js';
import { type Ctx, dayOf, makeCtx } from '../../platform/context.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { ZTimestamp } from '../../platform/http.js';
import { newId } from '../../platform/ids.js';
import { ZJob } from '../../platform/job-routes.js';
import { findUnfinishedJob, type JobHandler, type JobRow, jobs, startJob, toJobView } from '../../platform/jobs.js';
import { assertCustomerWording } from '../membership/index.js';
import { orders } from '../orders/index.js';
import { getSetting } from '../settings/index.js';
import { getTenant, tenants } from '../tenants/index.js';
import {
  type AudienceCursor,
  type AudienceReport,
  audienceChunk,
  audienceSize,
  isDue,
  nextRunOn,
  periodOf,
  prepareAudience,
  type Schedule,
  type StoredAudience,
  ZAudienceInput,
} from '../vouchers/index.js';
import { decideSend, type SuppressReason } from './rules.js';
import type { MessagingDeps } from './service.js';
import { isMinorOn, recipientFactsOf, smsSentToday, smsText } from './service.js';
import { type MessagingSettings, messagingSetting, ZClock } from './settings.js';
import { messageCampaigns, messages } from './tables.js';
import { renderTemplate, variablesIn } from './templates.js';

/**
 * 群发 (SPEC §14 Campaigns): a text to an audience — chosen customers, pasted phones, or a filter
 * resolved when it runs — by the portal inbox or SMS, now, at a time, or every week or month.
 * Campaigns are marketing: each recipient goes through the sending rules when her message is
 * written (consent, opt-out, minors, the weekly cap, the clinic's hours, the SMS budget), and
 * again for consent and opt-out when it leaves (`suppressWithdrawnMarketing`). A run is a
 * background job over the audience in chunks; its messages carry the campaign's id and a key per
 * run and customer, so a resumed or repeated chunk writes nothing twice.
 */

export const campaignTopic = 'campaign';
export const campaignChannels = ['portal', 'sms'] as const;
export const campaignVariables = ['姓名', '诊所'] as const;
export const campaignStatuses = ['scheduled', 'sending', 'sent', 'active', 'cancelled'] as const;
const suppressReasons = ['no_address', 'no_consent', 'opted_out', 'minor', 'frequency_cap', 'marketing_sms_off'] as const satisfies readonly SuppressReason[];

export const ZCampaignSchedule = z.discriminatedUnion('every', [
  /** Every month on this day (the month's last day when shorter), at a clock time. */
  z.strictObject({ every: z.literal('month'), day: z.number().int().min(1).max(31), at: ZClock }),
  /** Every week on this weekday, 1 = Monday … 7 = Sunday, at a clock time. */
  z.strictObject({ every: z.literal('week'), weekday: z.number().int().min(1).max(7), at: ZClock }),
]);
type CampaignSchedule = z.infer<typeof ZCampaignSchedule>;

const ZWhen = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('now') }),
  z.strictObject({ kind: z.literal('at'), sendAt: ZTimestamp }),
  z.strictObject({ kind: z.literal('recurring'), schedule: ZCampaignSchedule }),
]);

const ZBody = z.string().trim().min(1, '请输入消息内容').max(300, '内容最多 300 个字');

export const ZCampaignInput = z
  .strictObject({
    name: z.string().trim().min(1, '请输入活动名称').max(40, '名称最多 40 个字'),
    channel: z.enum(campaignChannels),
    audience: ZAudienceInput,
    /** The inbox's title (the portal shows it above the text). */
    title: z.string().trim().min(1, '请输入标题').max(30, '标题最多 30 个字'),
    body: ZBody,
    /** The provider's approved template for an SMS campaign (Aliyun SMS_…, Tencent's numeric id). */
    providerTemplateCode: z.string().trim().max(40).nullable().optional(),
    when: ZWhen,
    /** Orders within this many days of a message count as the campaign's result. */
    attributionDays: z.number().int().min(1).max(90).optional(),
  })
  .meta({ id: 'NewCampaign' });
export type CampaignInput = z.infer<typeof ZCampaignInput>;

export const ZCampaignPreviewInput = z.strictObject({
  channel: z.enum(campaignChannels),
  audience: ZAudienceInput,
  body: ZBody.optional(),
  when: ZWhen.optional(),
});

const ZExcluded = z.object(Object.fromEntries(suppressReasons.map((reason) => [reason, z.number().int()])) as Record<SuppressReason, z.ZodNumber>);
type Excluded = Record<SuppressReason, number>;
const noExclusions = (): Excluded => Object.fromEntries(suppressReasons.map((reason) => [reason, 0])) as Excluded;

export const ZCampaignPreview = z
  .object({
    /** Customers the audience names now. */
    audience: z.number().int(),
    /** Of them, how many the sending rules let through at the send time. */
    recipients: z.number().int(),
    /** The rest, by the rule that stops each. */
    excluded: ZExcluded,
    /** When the first message goes: the requested time, moved into the clinic's marketing hours. */
    sendsAt: ZTimestamp,
    unknownPhones: z.array(z.string()),
    invalidPhones: z.array(z.string()),
    /** The text as the first recipient would read it. */
    sample: z.object({ customerName: z.string(), text: z.string() }).nullable(),
  })
  .meta({ id: 'CampaignPreview' });
export type CampaignPreview = z.infer<typeof ZCampaignPreview>;

const ZRunResult = z.object({ audience: z.number().int(), queued: z.number().int(), excluded: ZExcluded });
type RunResult = z.infer<typeof ZRunResult>;

export const ZCampaign = z
  .object({
    id: z.uuid(),
    name: z.string(),
    channel: z.enum(campaignChannels),
    title: z.string(),
    body: z.string(),
    providerTemplateCode: z.string().nullable(),
    audience: z.object({ kind: z.enum(['customers', 'filter']), customerCount: z.number().int().nullable() }),
    sendAt: ZTimestamp.nullable(),
    schedule: ZCampaignSchedule.nullable(),
    /** A recurring campaign's next run day (in the clinic's calendar). */
    nextRunOn: z.string().nullable(),
    attributionDays: z.number().int(),
    status: z.enum(campaignStatuses),
    lastRunAt: ZTimestamp.nullable(),
    createdAt: ZTimestamp,
    /** What became of its messages so far, every run together. */
    results: z.object({
      messages: z.number().int(),
      queued: z.number().int(),
      sent: z.number().int(),
      delivered: z.number().int(),
      read: z.number().int(),
      failed: z.number().int(),
      suppressed: z.number().int(),
      excluded: ZExcluded,
      /** Customers who placed an order within `attributionDays` of her message, and what those orders came to. */
      orderedCustomers: z.number().int(),
      orderedFen: z.number().int(),
    }),
    /** The latest run, while it goes and after. */
    job: ZJob.extend({ result: ZRunResult.nullable() }).meta({ id: 'CampaignJob' }).nullable(),
  })
  .meta({ id: 'Campaign' });
export type Campaign = z.infer<typeof ZCampaign>;

type CampaignRow = typeof messageCampaigns.$inferSelect;
type Settings = { settings: MessagingSettings; clinicName: string; timezone: string };

export const messageCampaignJobKind = 'message_campaign.run';
type RunJobPayload = { campaignId: string; runKey: string; chunkSize?: number };
type RunJobState = { cursor: AudienceCursor };
const chunkSize = 500;

const settingsOf = async (tx: Executor, tenantId: string): Promise<Settings> => {
  const [tenant] = await tx.select({ name: tenants.name, timezone: tenants.timezone }).from(tenants).where(eq(tenants.id, tenantId));
  return { settings: await getSetting(tx, tenantId, messagingSetting), clinicName: tenant?.name ?? '', timezone: tenant?.timezone ?? 'Asia/Shanghai' };
};

/** The first instant at or after `at` inside the clinic's marketing hours. */
export const intoMarketingHours = (at: Date, settings: MessagingSettings, timezone: string): Date => {
  const today = businessDate(at, timezone);
  const opens = startOfBusinessDay(today, timezone, settings.marketingHours.from);
  const closes = startOfBusinessDay(today, timezone, settings.marketingHours.to);
  if (at < opens) return opens;
  if (at >= closes) return startOfBusinessDay(addDays(today, 1), timezone, settings.marketingHours.from);
  return at;
};

const assertSendable = (deps: MessagingDeps, tenant: Settings, input: { channel: string; body?: string; title?: string }) => {
  if (input.body !== undefined) {
    const unknown = variablesIn(input.body).filter((name) => !(campaignVariables as readonly string[]).includes(name));
    if (unknown.length > 0) {
      throw new DomainError('invalid', 'TEMPLATE_VARIABLE_UNKNOWN', `模板中有不认识的变量：${unknown.map((name) => `{${name}}`).join('、')}`, [
        { path: 'body.body', message: `可用变量：${campaignVariables.map((name) => `{${name}}`).join('、')}` },
      ]);
    }
    assertCustomerWording({ body: input.body, title: input.title });
  }
  if (input.channel !== 'sms') return;
  const { settings } = tenant;
  if (deps.smsSender(settings.sms) === undefined) {
    throw new DomainError('rule', 'CAMPAIGN_SMS_CHANNEL_MISSING', '诊所尚未配置短信通道，请在「消息 → 设置」中选择短信服务商', [
      { path: 'body.channel', message: '未配置短信通道' },
    ]);
  }
  if (!settings.isMarketingSmsOn) {
    throw new DomainError('rule', 'MARKETING_SMS_OFF', '营销短信未开启：请改用会员中心消息，或在「消息 → 设置」中开启营销短信', [
      { path: 'body.channel', message: '营销短信未开启' },
    ]);
  }
};

/** What the sending rules decide for a chunk of the audience at `at`. */
const decideChunk = async (
  tx: Executor,
  tenantId: string,
  channel: 'portal' | 'sms',
  customerIds: readonly string[],
  at: Date,
  tenant: Settings,
  smsToday: { count: number },
) => {
  const facts = await recipientFactsOf(tx, tenantId, customerIds, at);
  const today = businessDate(at, tenant.timezone);
  return customerIds.flatMap((id) => {
    const customer = facts.get(id);
    if (!customer) return [];
    const decision = decideSend(
      {
        purpose: 'marketing',
        channel,
        now: at,
        timezone: tenant.timezone,
        hasAddress: true,
        hasConsent: customer.consents.has(channel),
        isOptedOut: customer.isOptedOut,
        isMinor: isMinorOn(customer.birthDate, today),
        marketingSentThisWeek: customer.marketing,
        smsSentToday: smsToday.count,
      },
      tenant.settings,
    );
    if (decision.kind !== 'suppress' && channel === 'sms') smsToday.count++;
    return [{ customer, decision }];
  });
};

/**
 * 预览收件人: how many the audience names, how many the rules let through at the send time and
 * why the others are left out — "276 of 300 will receive it; 24 excluded: 18 no consent, 6 opted
 * out". Nothing is written.
 */
export const previewCampaign = async (tx: Executor, ctx: Ctx, deps: MessagingDeps, input: z.infer<typeof ZCampaignPreviewInput>): Promise<CampaignPreview> => {
  const tenant = await settingsOf(tx, ctx.tenantId);
  assertSendable(deps, tenant, { channel: input.channel, body: input.body });
  const requested = input.when?.kind === 'at' ? new Date(input.when.sendAt) : ctx.now;
  const sendsAt = intoMarketingHours(requested < ctx.now ? ctx.now : requested, tenant.settings, tenant.timezone);
  const { stored, report } = await prepareAudience(tx, ctx, input.audience);
  const excluded = noExclusions();
  const smsToday = { count: input.channel === 'sms' ? await smsSentToday(tx, ctx.tenantId, tenant.timezone, sendsAt) : 0 };
  let recipients = 0;
  let sample: CampaignPreview['sample'] = null;
  let cursor: AudienceCursor = null;
  do {
    const chunk = await audienceChunk(tx, ctx, stored, cursor, 2000);
    for (const { customer, decision } of await decideChunk(tx, ctx.tenantId, input.channel, chunk.customerIds, sendsAt, tenant, smsToday)) {
      if (decision.kind === 'suppress') {
        excluded[decision.reason]++;
        continue;
      }
      recipients++;
      if (!sample && input.body) sample = { customerName: customer.name, text: messageText(input.channel, input.body, customer.name, tenant) };
    }
    cursor = chunk.next;
  } while (cursor !== null);
  return {
    audience: report.customerCount,
    recipients,
    excluded,
    sendsAt: sendsAt.toISOString(),
    unknownPhones: report.unknownPhones,
    invalidPhones: report.invalidPhones,
    sample,
  };
};

const messageText = (channel: string, body: string, customerName: string, tenant: Settings) => {
  const text = renderTemplate(body, { 姓名: customerName, 诊所: tenant.clinicName });
  return channel === 'sms' ? smsText(tenant.settings, tenant.clinicName, text, 'marketing') : text;
};

const getCampaignRow = async (tx: Executor, tenantId: string, id: string, options: { forUpdate?: boolean } = {}) => {
  const query = tx
    .select()
    .from(messageCampaigns)
    .where(and(eq(messageCampaigns.tenantId, tenantId), eq(messageCampaigns.id, id)));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  if (!row) throw notFound('群发活动', 'CAMPAIGN_NOT_FOUND');
  return row;
};

type ResultRow = {
  campaign_id: string;
  messages: number;
  queued: number;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
  suppressed: number;
  reasons: Record<string, number> | null;
  ordered_customers: number;
  ordered_fen: number;
};

/** Each campaign's results from its messages, and the orders their customers placed within the campaign's days of one. */
const resultsOf = async (tx: Executor, tenantId: string, rows: readonly CampaignRow[]) => {
  if (rows.length === 0) return new Map<string, ResultRow>();
  const ids = sql.join(
    rows.map((row) => sql`${row.id}::uuid`),
    sql`, `,
  );
  const found = await queryRows<ResultRow>(
    tx,
    sql`select c.id as campaign_id, s.messages, s.queued, s.sent, s.delivered, s.read, s.failed, s.suppressed, s.reasons,
          coalesce(o.customers, 0)::int as ordered_customers, coalesce(o.fen, 0)::float8 as ordered_fen
        from ${messageCampaigns} c
        left join lateral (
          select count(*)::int as messages,
            count(*) filter (where m.status in ('queued', 'sending'))::int as queued,
            count(*) filter (where m.status in ('sent', 'delivered', 'unknown'))::int as sent,
            count(*) filter (where m.status = 'delivered')::int as delivered,
            count(*) filter (where m.read_at is not null)::int as read,
            count(*) filter (where m.status = 'failed')::int as failed,
            count(*) filter (where m.status = 'suppressed')::int as suppressed,
            (select jsonb_object_agg(r.reason, r.n) from (select m2.reason, count(*)::int as n from ${messages} m2
               where m2.tenant_id = c.tenant_id and m2.campaign_id = c.id and m2.status = 'suppressed' group by m2.reason) r) as reasons
          from ${messages} m where m.tenant_id = c.tenant_id and m.campaign_id = c.id
        ) s on true
        left join lateral (
          select count(distinct od.customer_id) as customers, sum(od.total_fen - od.refunded_fen) as fen
          from ${orders} od
          where od.tenant_id = c.tenant_id and od.status = 'placed'
            and od.customer_id in (select m.customer_id from ${messages} m where m.tenant_id = c.tenant_id and m.campaign_id = c.id
              and m.status in ('sent', 'delivered', 'unknown'))
            and exists (select 1 from ${messages} m where m.tenant_id = c.tenant_id and m.campaign_id = c.id and m.customer_id = od.customer_id
              and m.status in ('sent', 'delivered', 'unknown')
              and od.placed_at >= coalesce(m.sent_at, m.created_at) and od.placed_at < coalesce(m.sent_at, m.created_at) + make_interval(days => c.attribution_days))
        ) o on true
        where c.tenant_id = ${tenantId} and c.id in (${ids})`,
  );
  return new Map(found.map((row) => [row.campaign_id, row]));
};

/** The latest run of each campaign, in one statement (a run's job key is `campaign:<id>:<run>`). */
const latestRuns = async (tx: Executor, tenantId: string, campaignIds: readonly string[]): Promise<Map<string, JobRow>> => {
  if (campaignIds.length === 0) return new Map();
  const rows = await tx
    .select()
    .from(jobs)
    .where(
      and(
        eq(jobs.tenantId, tenantId),
        eq(jobs.kind, messageCampaignJobKind),
        sql`split_part(${jobs.idempotencyKey}, ':', 2) in (${sql.join(
          campaignIds.map((id) => sql`${id}`),
          sql`, `,
        )})`,
      ),
    )
    .orderBy(desc(jobs.createdAt));
  const latest = new Map<string, JobRow>();
  for (const row of rows) {
    const campaignId = row.idempotencyKey.split(':')[1] ?? '';
    if (!latest.has(campaignId)) latest.set(campaignId, row);
  }
  return latest;
};

const toCampaign = (ctx: Pick<Ctx, 'today' | 'timezone' | 'dayStart'>, row: CampaignRow, result: ResultRow | undefined, job: JobRow | undefined): Campaign => {
  const audience = row.audience as StoredAudience;
  const schedule = row.schedule as CampaignSchedule | null;
  const excluded = noExclusions();
  for (const [reason, count] of Object.entries(result?.reasons ?? {})) if (reason in excluded) excluded[reason as SuppressReason] = count;
  return {
    id: row.id,
    name: row.name,
    channel: row.channel as Campaign['channel'],
    title: row.title,
    body: row.body,
    providerTemplateCode: row.providerTemplateCode,
    audience: { kind: audience.kind, customerCount: audience.kind === 'customers' ? audience.customerIds.length : null },
    sendAt: row.sendAt?.toISOString() ?? null,
    schedule,
    nextRunOn:
      schedule && row.status === 'active'
        ? nextRunOn(schedule as Schedule, ctx.today, row.lastRunAt ? dayOf(ctx, row.lastRunAt) : null, dayOf(ctx, row.createdAt))
        : null,
    attributionDays: row.attributionDays,
    status: row.status as Campaign['status'],
    lastRunAt: row.lastRunAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    results: {
      messages: result?.messages ?? 0,
      queued: result?.queued ?? 0,
      sent: result?.sent ?? 0,
      delivered: result?.delivered ?? 0,
      read: result?.read ?? 0,
      failed: result?.failed ?? 0,
      suppressed: result?.suppressed ?? 0,
      excluded,
      orderedCustomers: result?.ordered_customers ?? 0,
      orderedFen: Number(result?.ordered_fen ?? 0),
    },
    job: job ? { ...toJobView(job), result: (job.result as RunResult | null) ?? null } : null,
  };
};

export const getCampaign = async (tx: Executor, ctx: Ctx, id: string): Promise<Campaign> => {
  const row = await getCampaignRow(tx, ctx.tenantId, id);
  const results = await resultsOf(tx, ctx.tenantId, [row]);
  return toCampaign(ctx, row, results.get(row.id), (await latestRuns(tx, ctx.tenantId, [row.id])).get(row.id));
};

export const listCampaigns = async (tx: Executor, ctx: Ctx, page: { limit: number; offset: number }) => {
  const rows = await tx
    .select()
    .from(messageCampaigns)
    .where(eq(messageCampaigns.tenantId, ctx.tenantId))
    .orderBy(desc(messageCampaigns.createdAt), desc(messageCampaigns.id))
    .limit(page.limit)
    .offset(page.offset);
  const [total] = await tx.select({ count: sql<number>`count(*)::int` }).from(messageCampaigns).where(eq(messageCampaigns.tenantId, ctx.tenantId));
  const results = await resultsOf(tx, ctx.tenantId, rows);
  const jobsOf = await latestRuns(
    tx,
    ctx.tenantId,
    rows.map((row) => row.id),
  );
  return { items: rows.map((row) => toCampaign(ctx, row, results.get(row.id), jobsOf.get(row.id))), total: Number(total?.count ?? 0) };
};

/** Starts one run of a campaign as a background job (call it with the campaign locked); one job per run key. */
const startRun = async (tx: Executor, ctx: Ctx, row: CampaignRow, runKey: string): Promise<JobRow> => {
  const unfinished = await findUnfinishedJob(tx, ctx.tenantId, messageCampaignJobKind, `campaign:${row.id}:`);
  if (unfinished) return unfinished;
  const payload: RunJobPayload = { campaignId: row.id, runKey };
  const { job } = await startJob(tx, ctx.actor, ctx.now, {
    kind: messageCampaignJobKind,
    idempotencyKey: `campaign:${row.id}:${runKey}`,
    permission: 'messages.read',
    payload,
    total: await audienceSize(tx, ctx, row.audience as StoredAudience),
  });
  return job;
};

/**
 * 新建群发. Now (inside the clinic's hours) starts the run in this transaction — the caller kicks
 * the job once committed; a later time, or now outside the hours, waits for the sweep; a
 * recurring campaign runs on its days. Staff confirm after the preview; this is the send.
 */
export const createCampaign = async (
  tx: Executor,
  ctx: Ctx,
  deps: MessagingDeps,
  input: CampaignInput,
): Promise<{ campaign: Campaign; audience: AudienceReport }> => {
  const tenant = await settingsOf(tx, ctx.tenantId);
  assertSendable(deps, tenant, input);
  const prepared = await prepareAudience(tx, ctx, input.audience);
  if (prepared.stored.kind === 'customers' && prepared.report.customerCount === 0) {
    throw new DomainError('rule', 'AUDIENCE_EMPTY', '没有符合条件的客户', [{ path: 'body.audience', message: '没有符合条件的客户' }]);
  }
  if (input.when.kind === 'recurring') {
    const { at } = input.when.schedule;
    if (at < tenant.settings.marketingHours.from || at >= tenant.settings.marketingHours.to) {
      throw new DomainError(
        'invalid',
        'CAMPAIGN_OUTSIDE_HOURS',
        `发送时间须在营销时段 ${tenant.settings.marketingHours.from}–${tenant.settings.marketingHours.to} 之内`,
        [{ path: 'body.when.schedule.at', message: '不在营销时段内' }],
      );
    }
  }
  const requested = input.when.kind === 'at' ? new Date(input.when.sendAt) : ctx.now;
  const sendAt = input.when.kind === 'recurring' ? null : intoMarketingHours(requested < ctx.now ? ctx.now : requested, tenant.settings, tenant.timezone);
  const isNow = sendAt !== null && sendAt <= ctx.now;
  const row: CampaignRow = {
    tenantId: ctx.tenantId,
    id: newId(),
    name: input.name,
    channel: input.channel,
    audience: prepared.stored,
    title: input.title,
    body: input.body,
    providerTemplateCode: input.providerTemplateCode || null,
    sendAt,
    schedule: input.when.kind === 'recurring' ? input.when.schedule : null,
    attributionDays: input.attributionDays ?? 7,
    status: input.when.kind === 'recurring' ? 'active' : isNow ? 'sending' : 'scheduled',
    lastRunAt: isNow ? ctx.now : null,
    createdBy: ctx.actor.id,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  await tx.insert(messageCampaigns).values(row);
  await writeAudit(tx, ctx.actor, {
    action: 'message_campaign.create',
    entityType: 'message_campaign',
    entityId: row.id,
    after: { ...row, audience: { kind: prepared.stored.kind, customerCount: prepared.report.customerCount } },
  });
  if (isNow) await startRun(tx, ctx, row, 'once');
  return { campaign: await getCampaign(tx, ctx, row.id), audience: prepared.report };
};

/** 取消: a scheduled or recurring campaign sends nothing more; messages already written stay, those still queued are withdrawn. */
export const cancelCampaign = async (tx: Executor, ctx: Ctx, id: string): Promise<Campaign> => {
  const row = await getCampaignRow(tx, ctx.tenantId, id, { forUpdate: true });
  if (row.status === 'cancelled') throw new DomainError('conflict', 'CAMPAIGN_CANCELLED', '该群发已取消');
  if (row.status === 'sent') throw new DomainError('rule', 'CAMPAIGN_SENT', '该群发已发送完成，不能取消');
  await tx
    .update(messageCampaigns)
    .set({ status: 'cancelled', updatedAt: ctx.now })
    .where(and(eq(messageCampaigns.tenantId, ctx.tenantId), eq(messageCampaigns.id, id)));
  await tx
    .update(messages)
    .set({ status: 'suppressed', reason: 'cancelled', updatedAt: ctx.now })
    .where(and(eq(messages.tenantId, ctx.tenantId), eq(messages.campaignId, id), eq(messages.status, 'queued')));
  await writeAudit(tx, ctx.actor, {
    action: 'message_campaign.cancel',
    entityType: 'message_campaign',
    entityId: id,
    before: { status: row.status },
    after: { status: 'cancelled' },
  });
  return getCampaign(tx, ctx, id);
};

/**
 * One step of a campaign's run: the next chunk of its audience through the sending rules at this
 * moment, a message written for each (queued to go — at the window's opening when the hours
 * closed mid-run — or suppressed with its rule) in one statement, the counts added to the job.
 * A cancelled campaign stops where it is.
 */
export const runMessageCampaignJobStep: JobHandler = async (tx, job, now) => {
  const payload = job.payload as RunJobPayload;
  const tenantRow = await getTenant(tx, job.tenantId);
  const ctx = makeCtx(job.actor, now, tenantRow.timezone, null, tenantRow.businessDayStart);
  const row = await getCampaignRow(tx, ctx.tenantId, payload.campaignId, { forUpdate: true });
  const result: RunResult = (job.result as RunResult | null) ?? { audience: 0, queued: 0, excluded: noExclusions() };
  const cursor = (job.state as RunJobState | null)?.cursor ?? null;
  const chunk =
    row.status === 'cancelled'
      ? { customerIds: [], next: null }
      : await audienceChunk(tx, ctx, row.audience as StoredAudience, cursor, payload.chunkSize ?? chunkSize);
  if (chunk.customerIds.length > 0) {
    const tenant = await settingsOf(tx, ctx.tenantId);
    const channel = row.channel as 'portal' | 'sms';
    const smsToday = { count: channel === 'sms' ? await smsSentToday(tx, ctx.tenantId, tenant.timezone, now) : 0 };
    const decided = await decideChunk(tx, ctx.tenantId, channel, chunk.customerIds, now, tenant, smsToday);
    if (decided.length > 0) {
      const inserted = await tx
        .insert(messages)
        .values(
          decided.map(({ customer, decision }) => ({
            tenantId: ctx.tenantId,
            id: newId(),
            customerId: customer.id,
            channel,
            purpose: 'marketing',
            topic: campaignTopic,
            sourceKey: `campaign:${row.id}:${payload.runKey}:${customer.id}`,
            title: row.title,
            body: messageText(channel, row.body, customer.name, tenant),
            variables: channel === 'sms' ? { 姓名: customer.name, 诊所: tenant.clinicName } : null,
            // An inbox message due now lands at once; one for later (the hours closed mid-run) and every SMS wait in the queue.
            status: decision.kind === 'suppress' ? 'suppressed' : decision.kind === 'send' && channel === 'portal' ? 'delivered' : 'queued',
            reason: decision.kind === 'suppress' ? decision.reason : null,
            provider: channel === 'portal' ? 'portal' : null,
            nextAttemptAt: decision.kind === 'defer' ? decision.until : decision.kind === 'send' ? now : null,
            campaignId: row.id,
            sentAt: decision.kind === 'send' && channel === 'portal' ? now : null,
            deliveredAt: decision.kind === 'send' && channel === 'portal' ? now : null,
            createdAt: now,
            updatedAt: now,
          })),
        )
        .onConflictDoNothing({ target: [messages.tenantId, messages.sourceKey] })
        .returning({ status: messages.status, reason: messages.reason });
      for (const message of inserted) {
        if (message.status !== 'suppressed') result.queued++;
        else if (message.reason && message.reason in result.excluded) result.excluded[message.reason as SuppressReason]++;
      }
    }
    result.audience += decided.length;
  }
  const done = job.progressDone + chunk.customerIds.length;
  if (chunk.next !== null) return { state: { cursor: chunk.next } satisfies RunJobState, result, done, total: job.progressTotal, isFinished: false };
  await tx
    .update(messageCampaigns)
    .set({ status: row.status === 'sending' ? 'sent' : row.status, lastRunAt: row.lastRunAt ?? now, updatedAt: now })
    .where(and(eq(messageCampaigns.tenantId, ctx.tenantId), eq(messageCampaigns.id, row.id)));
  await writeAudit(tx, ctx.actor, {
    action: 'message_campaign.run',
    entityType: 'message_campaign',
    entityId: row.id,
    after: { runKey: payload.runKey, jobId: job.id, ...result },
  });
  return { state: { cursor: null } satisfies RunJobState, result, done, total: done, isFinished: true };
};

/**
 * The sweep's part: scheduled campaigns whose time has come (claimed by a conditional status
 * update, so two sweeps never both start one) and recurring ones due today at their time (one job
 * per period: its key holds the period). Returns the jobs started, for the runner to pick up.
 */
export const startDueCampaigns = async (tx: Executor, now: Date): Promise<{ tenantId: string; id: string }[]> => {
  const started: { tenantId: string; id: string }[] = [];
  const claimed = await tx
    .update(messageCampaigns)
    .set({ status: 'sending', lastRunAt: now, updatedAt: now })
    .where(and(eq(messageCampaigns.status, 'scheduled'), sql`${messageCampaigns.sendAt} <= ${now}`))
    .returning();
  // Read without locks: each due one is claimed below by moving its last run, so the 10-second loop holds no row it does not run.
  const recurring = await tx.select().from(messageCampaigns).where(eq(messageCampaigns.status, 'active'));
  const tenantsById = new Map<string, Awaited<ReturnType<typeof getTenant>>>();
  const ctxOf = async (tenantId: string) => {
    let tenant = tenantsById.get(tenantId);
    if (!tenant) {
      tenant = await getTenant(tx, tenantId);
      tenantsById.set(tenantId, tenant);
    }
    return makeCtx(systemActor(tenantId), now, tenant.timezone, null, tenant.businessDayStart);
  };
  for (const row of claimed) {
    const job = await startRun(tx, await ctxOf(row.tenantId), row, 'once');
    started.push({ tenantId: row.tenantId, id: job.id });
  }
  for (const row of recurring) {
    const ctx = await ctxOf(row.tenantId);
    const schedule = row.schedule as CampaignSchedule;
    const lastRunOn = row.lastRunAt ? dayOf(ctx, row.lastRunAt) : null;
    if (!isDue(schedule as Schedule, ctx.today, lastRunOn, dayOf(ctx, row.createdAt))) continue;
    if (now < startOfBusinessDay(ctx.today, ctx.timezone, schedule.at)) continue;
    const [claimedRun] = await tx
      .update(messageCampaigns)
      .set({ lastRunAt: now, updatedAt: now })
      .where(
        and(
          eq(messageCampaigns.tenantId, row.tenantId),
          eq(messageCampaigns.id, row.id),
          eq(messageCampaigns.status, 'active'),
          row.lastRunAt ? eq(messageCampaigns.lastRunAt, row.lastRunAt) : isNull(messageCampaigns.lastRunAt),
        ),
      )
      .returning({ id: messageCampaigns.id });
    if (!claimedRun) continue;
    const job = await startRun(tx, ctx, row, periodOf(schedule as Schedule, ctx.today));
    started.push({ tenantId: row.tenantId, id: job.id });
  }
  return started;
};

/**
 * At the moment a queued marketing message would leave: consent withdrawn or a 退订 since it was
 * written stops it (suppressed with the rule), in one statement for every due message.
 */
export const suppressWithdrawnMarketing = async (tx: Executor, now: Date): Promise<number> => {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`update ${messages} m
        set status = 'suppressed',
            reason = case when m.channel = 'sms' and exists (select 1 from customers c join message_suppressions s on s.tenant_id = c.tenant_id and s.phone = c.phone
                            where c.tenant_id = m.tenant_id and c.id = m.customer_id) then 'opted_out' else 'no_consent' end,
            updated_at = ${now}
        where m.status = 'queued' and m.purpose = 'marketing' and m.next_attempt_at <= ${now}
          and (not exists (select 1 from customer_consents cc where cc.tenant_id = m.tenant_id and cc.customer_id = m.customer_id
                 and cc.channel = m.channel and cc.is_granted)
               or (m.channel = 'sms' and exists (select 1 from customers c join message_suppressions s on s.tenant_id = c.tenant_id and s.phone = c.phone
                     where c.tenant_id = m.tenant_id and c.id = m.customer_id)))
        returning m.id`,
  );
  return rows.length;
};

/** Portal messages queued for a later moment (a campaign written outside the hours) land in the inbox when it comes. */
export const deliverQueuedPortal = async (tx: Executor, now: Date): Promise<number> => {
  const rows = await tx
    .update(messages)
    .set({ status: 'delivered', sentAt: now, deliveredAt: now, updatedAt: now })
    .where(and(eq(messages.status, 'queued'), eq(messages.channel, 'portal'), sql`${messages.nextAttemptAt} <= ${now}`))
    .returning({ id: messages.id });
  return rows.length;
};
