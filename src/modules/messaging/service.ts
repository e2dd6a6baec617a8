import { and, eq, inArray, sql } from 'drizzle-orm';
import { type Db, type Executor, queryRows } from '../../db/client.js';
import { writeAudit } from '../../platform/audit.js';
import { businessDate, startOfBusinessDay } from '../../platform/clock.js';
import { newId } from '../../platform/ids.js';
import { outbox } from '../../platform/outbox.js';
import type { SecretBox } from '../../platform/secret-box.js';
import { customers } from '../customers/index.js';
import { getSetting } from '../settings/index.js';
import { tenants } from '../tenants/index.js';
import { smsConfigOf, wechatAccountOf } from './provider-keys.js';
import { wechatSenderFor } from './provider-senders.js';
import { decideSend, nextAttemptAt, retryPolicy } from './rules.js';
import type { SmsSender, SmsSenderFactory } from './senders.js';
import { type MessagingSettings, messagingSetting } from './settings.js';
import { customerConsents, messageCampaigns, messageSuppressions, messages, messageTemplates } from './tables.js';
import {
  type MessageChannel,
  optOutLine,
  providerParamNames,
  renderTemplate,
  type Topic,
  topicOf,
  topics,
  variablesIn,
  wechatTemplateData,
} from './templates.js';
import { wechatBindingOf } from './wechat-binding.js';

/**
 * The clinic's SMS senders, the box that opens the keys clinics saved (their own keys go before the
 * environment's), and WeChat's API (WECHAT_API_ENDPOINT, else WeChat's own).
 */
export type MessagingDeps = { smsSender: SmsSenderFactory; secretBox?: SecretBox | undefined; wechatEndpoint?: string | undefined };

/** The clinic's WeChat template for a topic, when it set up its official account and chose one. */
const wechatTemplateOf = (settings: MessagingSettings, topic: string) => settings.wechat.templates.find((template) => template.topic === topic);

/** The clinic's SMS sender as its settings and saved keys make it. */
const senderFor = async (tx: Executor, deps: MessagingDeps, tenantId: string, settings: MessagingSettings) =>
  deps.smsSender(await smsConfigOf(tx, tenantId, settings.sms, deps.secretBox));

/** Marketing consent per channel. */
export type Consents = { sms: boolean; portal: boolean; wechat: boolean };

/** The clinic's wording of a topic on a channel, or the built-in one. */
export const templateOf = async (tx: Executor, tenantId: string, topic: Topic, channel: MessageChannel) => {
  const [row] = await tx
    .select()
    .from(messageTemplates)
    .where(and(eq(messageTemplates.tenantId, tenantId), eq(messageTemplates.topic, topic.key), eq(messageTemplates.channel, channel)));
  return wordingOf(topic, row);
};

/** A topic's wording from the clinic's row for it, or the built-in one when there is none. */
export const wordingOf = (topic: Topic, row: typeof messageTemplates.$inferSelect | undefined) => ({
  body: row?.body ?? topic.body,
  providerTemplateCode: row?.providerTemplateCode ?? null,
  isEnabled: row?.isEnabled ?? true,
});

/** The wording an SMS of a campaign goes by: the campaign's own text and provider template. */
export const campaignWording = async (tx: Executor, tenantId: string, campaignId: string) => {
  const [row] = await tx
    .select({ body: messageCampaigns.body, providerTemplateCode: messageCampaigns.providerTemplateCode })
    .from(messageCampaigns)
    .where(and(eq(messageCampaigns.tenantId, tenantId), eq(messageCampaigns.id, campaignId)));
  return row ? { body: row.body, providerTemplateCode: row.providerTemplateCode, isEnabled: true } : undefined;
};

/** 2026-12-31 → 12月31日, as messages write dates. */
const dayText = (date: string) => `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;

/** The variables of an outbox event for its topic; {诊所} is the clinic's name in every topic. */
const valuesOf = (topic: string, payload: Record<string, unknown>, customerName: string, clinicName: string): Record<string, string> => {
  const values: Record<string, string> = { 姓名: customerName, 诊所: clinicName };
  if (topic === 'points.expiring') {
    values.积分 = String(payload.points ?? '');
    values.到期日 = typeof payload.expiresOn === 'string' ? dayText(payload.expiresOn) : '';
  }
  if (topic === 'vouchers.expiring') {
    const titles = Array.isArray(payload.titles) ? payload.titles.map(String) : [];
    values.券名 = titles.length > 1 ? `「${(titles[0] ?? '').split(' · ')[0]}」等 ${titles.length} 张券` : `「${(titles[0] ?? '').split(' · ')[0]}」`;
    values.到期日 = typeof payload.expiresOn === 'string' ? dayText(payload.expiresOn) : '';
  }
  if (topic === 'appointments.reminder') {
    // The local time was fixed when queued: the text says the hour the clinic booked, whatever the server's zone.
    values.预约时间 = typeof payload.startsAtLocal === 'string' ? `${dayText(payload.startsAtLocal)} ${payload.startsAtLocal.slice(11, 16)}` : '';
    values.门店 = typeof payload.storeName === 'string' ? payload.storeName : '';
  }
  if (topic === 'treatments.care') {
    values.项目 = typeof payload.itemName === 'string' ? payload.itemName : '';
    values.护理提示 = typeof payload.text === 'string' ? payload.text : '';
  }
  return values;
};

/**
 * One message per channel and cause: an expiry reminder is one per customer, expiry day and day it
 * was queued — so two reminder horizons that fall due together (30 and 7 days before, on the first
 * run) reach her once, while the later one on its own day still goes.
 */
const sourceKeyOf = (event: { id: string; topic: string; customerId: string | null; payload: unknown }, channel: string): string => {
  const payload = event.payload as Record<string, unknown>;
  if (typeof payload.expiresOn === 'string' && typeof payload.queuedOn === 'string' && event.customerId) {
    return `${event.topic}:${event.customerId}:${payload.expiresOn}:${payload.queuedOn}:${channel}`;
  }
  return `outbox:${event.id}:${channel}`;
};

/** The SMS as the phone shows it: 【signature】 (the clinic's name until one is set), the text, and for marketing how to refuse. */
export const smsText = (settings: MessagingSettings, clinicName: string, body: string, purpose: Topic['purpose']) =>
  `【${settings.sms.signName || clinicName}】${body}${purpose === 'marketing' ? ` ${optOutLine}` : ''}`;

const paramsOf = (body: string, values: Readonly<Record<string, string>>) =>
  variablesIn(body).map((name) => ({ name: providerParamNames[name] ?? name, value: values[name] ?? '' }));

/** What the sending rules need of one customer: her name and phone, marketing this week, consent per channel, the opt-out list. */
export type RecipientFacts = {
  id: string;
  name: string;
  phone: string;
  birthDate: string | null;
  marketing: number;
  consents: Set<string>;
  isOptedOut: boolean;
};

/** The sending rules' facts of many customers in one statement (a campaign's chunk, or one event's customer). */
export const recipientFactsOf = async (tx: Executor, tenantId: string, customerIds: readonly string[], now: Date): Promise<Map<string, RecipientFacts>> => {
  if (customerIds.length === 0) return new Map();
  const rows = await queryRows<{
    id: string;
    name: string;
    phone: string;
    birth_date: string | null;
    marketing: number;
    consents: string[] | null;
    opted_out: boolean;
  }>(
    tx,
    sql`select c.id, c.name, c.phone, c.birth_date::text as birth_date,
          (select count(*)::int from ${messages} m where m.tenant_id = c.tenant_id and m.customer_id = c.id
             and m.purpose = 'marketing' and m.status in ('queued', 'sending', 'sent', 'delivered', 'unknown')
             and m.created_at > ${new Date(now.getTime() - 7 * 86_400_000)}) as marketing,
          (select array_agg(cc.channel) from ${customerConsents} cc where cc.tenant_id = c.tenant_id and cc.customer_id = c.id and cc.is_granted) as consents,
          exists (select 1 from ${messageSuppressions} s where s.tenant_id = c.tenant_id and s.phone = c.phone) as opted_out
        from ${customers} c
        where c.tenant_id = ${tenantId} and c.id in (${sql.join(
          customerIds.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})`,
  );
  return new Map(
    rows.map((row) => [
      row.id,
      {
        id: row.id,
        name: row.name,
        phone: row.phone,
        birthDate: row.birth_date,
        marketing: Number(row.marketing),
        consents: new Set(row.consents ?? []),
        isOptedOut: row.opted_out,
      },
    ]),
  );
};

export const smsSentToday = async (tx: Executor, tenantId: string, timezone: string, now: Date): Promise<number> => {
  const since = startOfBusinessDay(businessDate(now, timezone), timezone);
  const [row] = await queryRows<{ count: number }>(
    tx,
    sql`select count(*)::int as count from ${messages} where tenant_id = ${tenantId} and channel = 'sms' and status in ('sending', 'sent', 'delivered', 'unknown') and sent_at >= ${since}`,
  );
  return row?.count ?? 0;
};

export const isMinorOn = (birthDate: string | null, today: string) => {
  if (!birthDate) return false;
  const fourteenth = `${Number(birthDate.slice(0, 4)) + 14}${birthDate.slice(4)}`;
  return today < fourteenth;
};

/**
 * Turns due outbox events into messages, one per channel of their topic, each through the
 * sending rules at this moment: a portal message lands in the inbox in the same transaction;
 * an SMS is queued for `sendQueuedSms`; a stopped one is logged with the rule; marketing outside
 * the clinic's hours waits (the event's `send_after` moves to the window). Rows are claimed with
 * SKIP LOCKED, so two app instances never take the same event.
 */
export const dispatchDueEvents = async (
  db: Db,
  deps: MessagingDeps,
  now: Date,
  limit = 200,
  options: { topics?: readonly string[] } = {},
): Promise<{ events: number; messages: number }> =>
  db.transaction(async (tx) => {
    const due = await tx
      .select()
      .from(outbox)
      .where(
        and(
          eq(outbox.status, 'queued'),
          sql`${outbox.sendAfter} <= ${now}`,
          inArray(outbox.topic, options.topics ? [...options.topics] : topics.map((topic) => topic.key)),
        ),
      )
      .orderBy(outbox.sendAfter)
      .limit(limit)
      .for('update', { skipLocked: true });
    let created = 0;
    const settingsByTenant = new Map<
      string,
      { settings: MessagingSettings; timezone: string; name: string; sender: SmsSender | undefined; smsToday: number; hasWechat: boolean }
    >();
    for (const event of due) {
      const topic = topicOf(event.topic) as Topic;
      let tenant = settingsByTenant.get(event.tenantId);
      if (!tenant) {
        const settings = await getSetting(tx, event.tenantId, messagingSetting);
        const [row] = await tx.select({ timezone: tenants.timezone, name: tenants.name }).from(tenants).where(eq(tenants.id, event.tenantId));
        const timezone = row?.timezone ?? 'Asia/Shanghai';
        tenant = {
          settings,
          timezone,
          name: row?.name ?? '',
          sender: await senderFor(tx, deps, event.tenantId, settings),
          smsToday: await smsSentToday(tx, event.tenantId, timezone, now),
          hasWechat: (await wechatAccountOf(tx, event.tenantId, deps.secretBox)) !== undefined,
        };
        settingsByTenant.set(event.tenantId, tenant);
      }
      const customer = event.customerId ? (await recipientFactsOf(tx, event.tenantId, [event.customerId], now)).get(event.customerId) : undefined;
      const facts = customer ?? { marketing: 0, consents: new Set<string>(), isOptedOut: false };
      const today = businessDate(now, tenant.timezone);
      let deferUntil: Date | undefined;
      // WeChat where she bound it, the clinic has its account and a template for the topic.
      const isWechatReady =
        customer !== undefined &&
        tenant.hasWechat &&
        wechatTemplateOf(tenant.settings, topic.key) !== undefined &&
        (await wechatBindingOf(tx, event.tenantId, customer.id)) !== undefined;
      for (const channel of topic.channels) {
        const sourceKey = sourceKeyOf(event, channel);
        const [existing] = await tx
          .select({ id: messages.id })
          .from(messages)
          .where(and(eq(messages.tenantId, event.tenantId), eq(messages.sourceKey, sourceKey)));
        if (existing) continue;
        const template = await templateOf(tx, event.tenantId, topic, channel);
        // SMS only where the clinic has a channel: otherwise the portal inbox carries it alone.
        if (!template.isEnabled || (channel === 'sms' && !tenant.sender) || (channel === 'wechat' && !isWechatReady)) continue;
        const values = valuesOf(topic.key, event.payload as Record<string, unknown>, customer?.name ?? '', tenant.name);
        const body = renderTemplate(template.body, values);
        const decision = decideSend(
          {
            purpose: topic.purpose,
            channel,
            now,
            timezone: tenant.timezone,
            hasAddress: customer !== undefined,
            hasConsent: facts.consents.has(channel),
            isOptedOut: facts.isOptedOut,
            isMinor: customer ? isMinorOn(customer.birthDate, today) : false,
            marketingSentThisWeek: facts.marketing,
            smsSentToday: tenant.smsToday,
          },
          tenant.settings,
        );
        if (decision.kind === 'defer') {
          deferUntil = deferUntil && deferUntil < decision.until ? deferUntil : decision.until;
          continue;
        }
        const isSent = decision.kind === 'send';
        await tx.insert(messages).values({
          tenantId: event.tenantId,
          id: newId(),
          customerId: customer?.id ?? null,
          channel,
          purpose: topic.purpose,
          topic: topic.key,
          sourceKey,
          title: topic.title,
          body: channel === 'sms' ? smsText(tenant.settings, tenant.name, body, topic.purpose) : body,
          variables: channel === 'portal' ? null : values,
          status: !isSent ? 'suppressed' : channel === 'portal' ? 'delivered' : 'queued',
          reason: decision.kind === 'suppress' ? decision.reason : null,
          provider: channel === 'portal' ? 'portal' : channel === 'wechat' ? 'wechat' : (tenant.sender?.provider ?? null),
          nextAttemptAt: isSent && channel !== 'portal' ? now : null,
          createdAt: now,
          sentAt: isSent && channel === 'portal' ? now : null,
          deliveredAt: isSent && channel === 'portal' ? now : null,
          updatedAt: now,
        });
        if (isSent && topic.purpose === 'marketing') facts.marketing++;
        if (isSent && channel === 'sms') tenant.smsToday++;
        created++;
      }
      await tx
        .update(outbox)
        .set(deferUntil ? { sendAfter: deferUntil } : { status: 'sent' })
        .where(and(eq(outbox.tenantId, event.tenantId), eq(outbox.id, event.id)));
    }
    return { events: due.length, messages: created };
  });

/** Records what a provider answered for one SMS: sent, retried later, or failed with its class. */
const settle = async (db: Db, tenantId: string, id: string, attempts: number, outcome: Awaited<ReturnType<SmsSender['send']>>, now: Date) => {
  const retry = !outcome.ok && outcome.retryable && attempts < retryPolicy.maxAttempts;
  await db
    .update(messages)
    .set(
      outcome.ok
        ? { status: 'sent', providerMessageId: outcome.providerMessageId, sentAt: now, reason: null, updatedAt: now }
        : retry
          ? { status: 'queued', reason: outcome.errorClass, nextAttemptAt: nextAttemptAt(now, attempts), updatedAt: now }
          : { status: 'failed', reason: outcome.errorClass, updatedAt: now },
    )
    .where(and(eq(messages.tenantId, tenantId), eq(messages.id, id), eq(messages.status, 'sending')));
};

const sendOne = async (sender: SmsSender, sms: Parameters<SmsSender['send']>[0]) =>
  sender.send(sms).catch((error: unknown) => ({
    ok: false as const,
    errorClass: 'network',
    retryable: true,
    providerCode: 'EXCEPTION',
    message: error instanceof Error ? error.name : 'error',
  }));

/**
 * Sends queued SMS whose time has come. Each is claimed (status `sending`, attempts + 1) and
 * committed before the provider is called, so two instances never send one message; the answer
 * is written after. A crash in between leaves it `sending`: `flagLostSends` marks it `unknown`
 * for review rather than risk a second SMS (the providers do not deduplicate by our id).
 */
/** Claims due queued messages of one channel: `sending`, attempts + 1, committed before any provider is called. */
const claimQueued = (db: Db, channel: 'sms' | 'wechat', now: Date, limit: number) =>
  db.transaction((tx) =>
    queryRows<{
      tenant_id: string;
      id: string;
      customer_id: string | null;
      body: string;
      topic: string;
      attempts: number;
      variables: Record<string, string> | null;
      campaign_id: string | null;
    }>(
      tx,
      sql`update ${messages} m set status = 'sending', attempts = m.attempts + 1, updated_at = ${now}
          where (m.tenant_id, m.id) in (
            select tenant_id, id from ${messages}
            where status = 'queued' and channel = ${channel} and next_attempt_at <= ${now}
            order by next_attempt_at limit ${limit} for update skip locked)
          returning m.tenant_id, m.id, m.customer_id, m.body, m.topic, m.attempts, m.variables, m.campaign_id`,
    ),
  );

export const sendQueuedSms = async (db: Db, deps: MessagingDeps, now: Date, limit = 100): Promise<number> => {
  const claimed = await claimQueued(db, 'sms', now, limit);
  for (const row of claimed) {
    const settings = await getSetting(db, row.tenant_id, messagingSetting);
    const sender = await senderFor(db, deps, row.tenant_id, settings);
    const [customer] = row.customer_id
      ? await db
          .select({ phone: customers.phone, name: customers.name })
          .from(customers)
          .where(and(eq(customers.tenantId, row.tenant_id), eq(customers.id, row.customer_id)))
      : [];
    const topic = topicOf(row.topic);
    // A campaign's SMS goes by the campaign's own text and template; every other by its topic's.
    const template = row.campaign_id
      ? await campaignWording(db, row.tenant_id, row.campaign_id)
      : topic
        ? await templateOf(db, row.tenant_id, topic, 'sms')
        : undefined;
    if (!sender || !customer || !template) {
      await settle(
        db,
        row.tenant_id,
        row.id,
        retryPolicy.maxAttempts,
        { ok: false, errorClass: 'no_channel', retryable: false, providerCode: '', message: '' },
        now,
      );
      continue;
    }
    const outcome = await sendOne(sender, {
      phone: customer.phone,
      text: row.body,
      signName: settings.sms.signName,
      templateCode: template.providerTemplateCode,
      // The provider's approved template holds the words; it gets the values by name (Aliyun) or in order (Tencent).
      params: paramsOf(template.body, row.variables ?? {}),
      idempotencyId: row.id,
    });
    await settle(db, row.tenant_id, row.id, row.attempts, outcome, now);
  }
  return claimed.length;
};

/**
 * Sends queued WeChat template messages the same way as SMS: claimed and committed before WeChat
 * is called, the answer written after (sent with WeChat's msgid, retried when WeChat is busy or
 * throttles, failed with the class), a lost answer flagged `unknown` by `flagLostSends`. It goes
 * by the clinic's template for the topic, its fields filled with the message's variables, to her
 * openid; without the account, the template or her binding any more it fails as no_channel.
 */
export const sendQueuedWechat = async (db: Db, deps: MessagingDeps, now: Date, limit = 100): Promise<number> => {
  const claimed = await claimQueued(db, 'wechat', now, limit);
  for (const row of claimed) {
    const settings = await getSetting(db, row.tenant_id, messagingSetting);
    const account = await wechatAccountOf(db, row.tenant_id, deps.secretBox);
    const template = wechatTemplateOf(settings, row.topic);
    const binding = row.customer_id ? await wechatBindingOf(db, row.tenant_id, row.customer_id) : undefined;
    if (!account || !template || !binding) {
      const noChannel = { ok: false as const, errorClass: 'no_channel', retryable: false, providerCode: '', message: '' };
      await settle(db, row.tenant_id, row.id, retryPolicy.maxAttempts, noChannel, now);
      continue;
    }
    const sender = wechatSenderFor(account, deps.wechatEndpoint);
    const outcome = await sender
      .send({ openid: binding.openid, templateId: template.templateId, data: wechatTemplateData(template.fields, row.variables ?? {}) })
      .catch((error: unknown) => ({
        ok: false as const,
        errorClass: 'network' as const,
        retryable: true,
        providerCode: 'EXCEPTION',
        message: error instanceof Error ? error.name : 'error',
      }));
    await settle(db, row.tenant_id, row.id, row.attempts, outcome, now);
  }
  return claimed.length;
};

/** SMS claimed but never settled (the process died mid-call): `unknown`, for a person to check, never sent again. */
export const flagLostSends = async (db: Db, now: Date, leaseMs = 5 * 60_000): Promise<number> => {
  const rows = await db
    .update(messages)
    .set({ status: 'unknown', reason: 'no_answer_recorded', updatedAt: now })
    .where(and(eq(messages.status, 'sending'), sql`${messages.updatedAt} < ${new Date(now.getTime() - leaseMs)}`))
    .returning({ id: messages.id });
  return rows.length;
};

/**
 * A login code: logged (the code masked) and sent at once through the clinic's SMS channel, as
 * the member waits for it. Undefined sender: the clinic has no SMS channel — refused before any
 * code is written.
 */
export const sendCodeSms = async (
  db: Db,
  deps: MessagingDeps,
  input: { tenantId: string; customerId: string | null; phone: string; code: string; sourceKey: string },
  now: Date,
): Promise<void> => {
  const settings = await getSetting(db, input.tenantId, messagingSetting);
  const sender = await senderFor(db, deps, input.tenantId, settings);
  const topic = topicOf('portal.code') as Topic;
  const template = await templateOf(db, input.tenantId, topic, 'sms');
  const [tenant] = await db.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, input.tenantId));
  const clinicName = tenant?.name ?? '';
  const id = newId();
  await db.insert(messages).values({
    tenantId: input.tenantId,
    id,
    customerId: input.customerId,
    channel: 'sms',
    purpose: 'notice',
    topic: topic.key,
    sourceKey: input.sourceKey,
    title: topic.title,
    body: smsText(settings, clinicName, renderTemplate(template.body, { 验证码: '******' }), 'notice'),
    status: sender ? 'sending' : 'failed',
    reason: sender ? null : 'no_channel',
    provider: sender?.provider ?? null,
    attempts: 1,
    createdAt: now,
    updatedAt: now,
  });
  if (!sender) return;
  const outcome = await sendOne(sender, {
    phone: input.phone,
    text: smsText(settings, clinicName, renderTemplate(template.body, { 验证码: input.code }), 'notice'),
    signName: settings.sms.signName || clinicName,
    templateCode: template.providerTemplateCode,
    params: paramsOf(template.body, { 验证码: input.code }),
    idempotencyId: id,
  });
  // A code is not retried later: by then the member has asked again.
  await settle(db, input.tenantId, id, retryPolicy.maxAttempts, outcome, now);
};

/** Whether the clinic can send SMS at all (a code request is refused up front when not). */
export const hasSmsChannel = async (tx: Executor, deps: MessagingDeps, tenantId: string): Promise<boolean> =>
  (await senderFor(tx, deps, tenantId, await getSetting(tx, tenantId, messagingSetting))) !== undefined;

export const consentsOf = async (tx: Executor, tenantId: string, customerId: string) => {
  const rows = await tx
    .select({ channel: customerConsents.channel, isGranted: customerConsents.isGranted })
    .from(customerConsents)
    .where(and(eq(customerConsents.tenantId, tenantId), eq(customerConsents.customerId, customerId)));
  const granted = (channel: string) => rows.some((row) => row.channel === channel && row.isGranted);
  return { sms: granted('sms'), portal: granted('portal'), wechat: granted('wechat') };
};

/** Writes a customer's marketing consent per channel (each change audited: who, when, from where). */
export const saveConsents = async (
  tx: Executor,
  actor: Parameters<typeof writeAudit>[1],
  customerId: string,
  change: Omit<Consents, 'wechat'> & { wechat?: boolean | undefined },
  source: 'staff' | 'portal' | 'reply',
  now: Date,
): Promise<Consents> => {
  const before = await consentsOf(tx, actor.tenantId, customerId);
  // A channel left out (WeChat, from a client that predates it) keeps its consent.
  const consents: Consents = { ...change, wechat: change.wechat ?? before.wechat };
  for (const channel of ['sms', 'portal', 'wechat'] as const) {
    await tx
      .insert(customerConsents)
      .values({
        tenantId: actor.tenantId,
        customerId,
        channel,
        isGranted: consents[channel],
        source,
        updatedBy: actor.type === 'staff' ? actor.id : null,
        updatedAt: now,
      })
      .onConflictDoUpdate({
        target: [customerConsents.tenantId, customerConsents.customerId, customerConsents.channel],
        set: { isGranted: consents[channel], source, updatedBy: actor.type === 'staff' ? actor.id : null, updatedAt: now },
      });
  }
  await writeAudit(tx, actor, { action: 'consents.update', entityType: 'customer', entityId: customerId, before, after: { ...consents, source } });
  return consents;
};
