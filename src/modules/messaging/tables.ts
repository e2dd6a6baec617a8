import { sql } from 'drizzle-orm';
import { boolean, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { customers } from '../customers/index.js';
import { tenants } from '../tenants/index.js';

/**
 * The message log: every message the clinic sends or tried to send — a login code, a reminder,
 * a campaign's — with its channel, the text as the customer read it (a code masked), and what
 * became of it: queued, sending, sent, delivered, failed with the reason, suppressed with the rule
 * that stopped it, or unknown (the provider was called and the answer lost: for review, never
 * resent). A portal message is the inbox entry itself (read_at).
 */
export const messages = pgTable(
  'messages',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    id: uuid('id').notNull(),
    customerId: uuid('customer_id'),
    /** sms | portal | wechat */
    channel: text('channel').notNull(),
    /** notice | marketing */
    purpose: text('purpose').notNull(),
    topic: text('topic').notNull(),
    /** The outbox row (or the request) it came from: one message per source. */
    sourceKey: text('source_key').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    /** The template's values ({姓名} → 林悦 …): a provider's template is sent them again on a retry. Never a code. */
    variables: jsonb('variables').$type<Record<string, string>>(),
    /** queued | sending | sent | delivered | failed | suppressed | unknown */
    status: text('status').notNull(),
    /** For failed and suppressed: the provider's error class or the rule (no_consent, opted_out, frequency_cap, …). */
    reason: text('reason'),
    /** log | aliyun | tencent | portal */
    provider: text('provider'),
    providerMessageId: text('provider_message_id'),
    attempts: integer('attempts').notNull().default(0),
    /** A queued SMS goes at or after this instant (retries back off). */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    readAt: timestamp('read_at', { withTimezone: true }),
    /** The 群发 it belongs to, if any: a campaign's results are its messages. */
    campaignId: uuid('campaign_id'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'messages_pkey', columns: [t.tenantId, t.id] }),
    unique('messages_source_key').on(t.tenantId, t.sourceKey),
    index('messages_customer_idx').on(t.tenantId, t.customerId, t.createdAt),
    index('messages_created_idx').on(t.tenantId, t.createdAt),
    index('messages_provider_id_idx').on(t.providerMessageId),
    index('messages_due_idx').on(t.status, t.nextAttemptAt),
    index('messages_campaign_idx').on(t.tenantId, t.campaignId, t.status).where(sql`${t.campaignId} is not null`),
  ],
);

/** A clinic's own wording of a topic's message, per channel; topics without one use the built-in text. */
export const messageTemplates = pgTable(
  'message_templates',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    topic: text('topic').notNull(),
    channel: text('channel').notNull(),
    body: text('body').notNull(),
    /** The provider's approved template (Aliyun SMS_…, Tencent's numeric id) for SMS. */
    providerTemplateCode: text('provider_template_code'),
    isEnabled: boolean('is_enabled').notNull().default(true),
    updatedBy: uuid('updated_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ name: 'message_templates_pkey', columns: [t.tenantId, t.topic, t.channel] })],
);

/**
 * Marketing consent per customer and channel (PIPL Art. 14–15): the latest row decides; given or
 * withdrawn by the customer (portal), by staff on her word, or by an opt-out reply. Notices
 * need none.
 */
export const customerConsents = pgTable(
  'customer_consents',
  {
    tenantId: uuid('tenant_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    /** sms | portal | wechat */
    channel: text('channel').notNull(),
    isGranted: boolean('is_granted').notNull(),
    /** staff | portal | reply | import */
    source: text('source').notNull(),
    updatedBy: uuid('updated_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'customer_consents_pkey', columns: [t.tenantId, t.customerId, t.channel] }),
    foreignKey({ name: 'customer_consents_customer_fkey', columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
  ],
);

/** Phones that refused marketing SMS (回复 R / T / TD / 退订, or entered by staff): nothing commercial is sent to them. */
export const messageSuppressions = pgTable(
  'message_suppressions',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    phone: text('phone').notNull(),
    /** reply | manual */
    source: text('source').notNull(),
    /** The reply's text (TD, 退订 …) or the staff's note. */
    note: text('note'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ name: 'message_suppressions_pkey', columns: [t.tenantId, t.phone] })],
);

/**
 * 群发: one message to an audience (a list of customers or a filter resolved when it runs), by one
 * channel, now, at a chosen time, or every week or month. Always marketing: it goes through
 * consent, the opt-out list, the weekly cap and the clinic's hours like every other.
 */
export const messageCampaigns = pgTable(
  'message_campaigns',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    /** portal | sms */
    channel: text('channel').notNull(),
    audience: jsonb('audience').notNull(),
    /** The inbox's title. */
    title: text('title').notNull(),
    /** The text with its variables ({姓名}, {诊所}). */
    body: text('body').notNull(),
    /** The provider's approved template for an SMS campaign. */
    providerTemplateCode: text('provider_template_code'),
    /** A one-off campaign's time (the next window when created outside the clinic's hours). */
    sendAt: timestamp('send_at', { withTimezone: true }),
    /** A recurring campaign: every month on a day or every week on a weekday, at a clock time. */
    schedule: jsonb('schedule'),
    /** Orders placed within this many days of a message count as its result. */
    attributionDays: integer('attribution_days').notNull(),
    /** scheduled | sending | sent | active (recurring) | cancelled */
    status: text('status').notNull(),
    lastRunAt: timestamp('last_run_at', { withTimezone: true }),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ name: 'message_campaigns_pkey', columns: [t.tenantId, t.id] }), index('message_campaigns_due_idx').on(t.status, t.sendAt)],
);

/**
 * A customer's openid in the clinic's WeChat official account, bound by herself in the portal
 * (WeChat's web authorisation, snsapi_base): the address of her WeChat template messages.
 */
export const customerWechatBindings = pgTable(
  'customer_wechat_bindings',
  {
    tenantId: uuid('tenant_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    openid: text('openid').notNull(),
    boundAt: timestamp('bound_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'customer_wechat_bindings_pkey', columns: [t.tenantId, t.customerId] }),
    unique('customer_wechat_bindings_openid').on(t.tenantId, t.openid),
    foreignKey({ name: 'customer_wechat_bindings_customer_fkey', columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
  ],
);
