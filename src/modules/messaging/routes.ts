import { and, count, desc, eq, gte, isNull, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { writeAudit } from '../../platform/audit.js';
import type { Deps } from '../../platform/deps.js';
import { DomainError } from '../../platform/errors.js';
import { type App, actorOf, authOf, errorResponses, memberOf, ZIdParams, ZPageQuery, ZTimestamp } from '../../platform/http.js';
import { normalizeMobile } from '../../platform/phone.js';
import { assertCustomerExists, customers, getCustomerRow, ZMobile } from '../customers/index.js';
import { assertCustomerWording, forbiddenWordsIn } from '../membership/index.js';
import { exposeSetting, getSetting, putSetting } from '../settings/index.js';
import { tenants } from '../tenants/index.js';
import { automationsSetting, type CareSeries, promotionWordsIn, withWelcomeStart, ZMessageAutomations } from './automations.js';
import { callbackToken } from './callbacks.js';
import { clearProviderKeys, keyProviders, providerKeysView, saveProviderKeys, smsConfigOf, ZProviderKeysView } from './provider-keys.js';
import { consentsOf, saveConsents, templateOf, wordingOf } from './service.js';
import { messagingSetting, ZMessagingSettings } from './settings.js';
import { messageSuppressions, messages, messageTemplates } from './tables.js';
import { type MessageChannel, messageChannels, renderTemplate, topicOf, topics, variablesIn } from './templates.js';
import { wechatPortalRoutes } from './wechat-binding.js';

const tags = ['Messaging'];

const ZMessage = z
  .object({
    id: z.uuid(),
    customerId: z.uuid().nullable(),
    customerName: z.string().nullable(),
    channel: z.string(),
    purpose: z.string(),
    topic: z.string(),
    title: z.string(),
    body: z.string(),
    /** queued | sending | sent | delivered | failed | suppressed | unknown */
    status: z.string(),
    /** Why it failed or was stopped: the provider's error class or the sending rule. */
    reason: z.string().nullable(),
    provider: z.string().nullable(),
    attempts: z.number().int(),
    createdAt: ZTimestamp,
    sentAt: ZTimestamp.nullable(),
    deliveredAt: ZTimestamp.nullable(),
    readAt: ZTimestamp.nullable(),
  })
  .meta({ id: 'Message' });

type MessageRow = typeof messages.$inferSelect;
const iso = (date: Date | null) => (date ? date.toISOString() : null);
const toMessage = (row: MessageRow, customerName: string | null) => ({
  id: row.id,
  customerId: row.customerId,
  customerName,
  channel: row.channel,
  purpose: row.purpose,
  topic: row.topic,
  title: row.title,
  body: row.body,
  status: row.status,
  reason: row.reason,
  provider: row.provider,
  attempts: row.attempts,
  createdAt: row.createdAt.toISOString(),
  sentAt: iso(row.sentAt),
  deliveredAt: iso(row.deliveredAt),
  readAt: iso(row.readAt),
});

const ZTemplateView = z
  .object({
    topic: z.string(),
    label: z.string(),
    purpose: z.enum(['notice', 'marketing']),
    variables: z.array(z.string()),
    channels: z.array(
      z.object({
        channel: z.enum(messageChannels),
        body: z.string(),
        providerTemplateCode: z.string().nullable(),
        isEnabled: z.boolean(),
        isCustom: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'MessageTopic' });

const ZConsents = z.object({ sms: z.boolean(), portal: z.boolean(), wechat: z.boolean() }).meta({ id: 'MarketingConsents' });
/** A change of consent: WeChat's left out keeps what she said before. */
const ZConsentsInput = z.strictObject({ sms: z.boolean(), portal: z.boolean(), wechat: z.boolean().optional() });

const assertKnownVariables = (body: string, allowed: readonly string[]) => {
  const unknown = variablesIn(body).filter((name) => !allowed.includes(name));
  if (unknown.length > 0) {
    throw new DomainError('invalid', 'TEMPLATE_VARIABLE_UNKNOWN', `模板中有不认识的变量：${unknown.map((name) => `{${name}}`).join('、')}`, [
      { path: 'body.body', message: `可用变量：${allowed.map((name) => `{${name}}`).join('、')}` },
    ]);
  }
};

/** Care advice reaches her as a notice: the advertising law's words and any promotion are refused, naming each step. */
const assertCareWording = (series: readonly CareSeries[]) => {
  const texts = Object.fromEntries(
    series.flatMap((entry, index) => entry.steps.map((step, stepIndex) => [`body.careSeries.${index}.steps.${stepIndex}.text`, step.text])),
  );
  assertCustomerWording(texts);
  const selling = Object.entries(texts).flatMap(([path, text]) => {
    const words = promotionWordsIn(text);
    return words.length > 0 ? [{ path, message: `推广用语：${words.join('、')}` }] : [];
  });
  if (selling.length > 0) {
    throw new DomainError('rule', 'CARE_TEXT_PROMOTION', '术后护理消息按通知发送，不能含推广用语', selling);
  }
};

/** The console's messaging: the message log, the topics' wording, marketing consent, the opt-out list and the settings. */
export const messagingRoutes = (app: App, { db, clock, smsSender, secretBox, callbackSecret }: Deps) => {
  app.get(
    '/messaging/status',
    {
      config: { permission: 'settings.manage' },
      schema: {
        tags,
        summary:
          "What the installation offers the clinic's SMS: providers whose keys are set (the clinic's own or the environment's), the development channel, and the callback addresses to give the provider",
        response: {
          200: z.object({
            /** Whose keys are set; wechat: the clinic saved its official account's AppID and AppSecret. */
            providers: z.object({ aliyun: z.boolean(), tencent: z.boolean(), wechat: z.boolean() }),
            isDevChannelAllowed: z.boolean(),
            hasSmsChannel: z.boolean(),
            callbacks: z.array(z.object({ provider: z.string(), kind: z.string(), path: z.string() })),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const { tenantId } = authOf(req);
      const probe = { signName: '', sdkApp: 'probe', region: '' };
      const [tenant] = await db.select({ code: tenants.code }).from(tenants).where(eq(tenants.id, tenantId));
      const settings = await getSetting(db, tenantId, messagingSetting);
      const keys = await providerKeysView(db, tenantId, secretBox, smsSender);
      const hasKeys = (provider: 'aliyun' | 'tencent' | 'wechat') => keys.some((entry) => entry.provider === provider && entry.source !== null);
      return {
        providers: { aliyun: hasKeys('aliyun'), tencent: hasKeys('tencent'), wechat: hasKeys('wechat') },
        isDevChannelAllowed: smsSender({ ...probe, provider: 'log' }) !== undefined,
        hasSmsChannel: smsSender(await smsConfigOf(db, tenantId, settings.sms, secretBox)) !== undefined,
        callbacks:
          callbackSecret && tenant
            ? (['aliyun', 'tencent'] as const).flatMap((provider) =>
                (['receipts', 'replies'] as const).map((kind) => ({
                  provider,
                  kind,
                  path: `/api/callbacks/sms/${provider}/${kind}/${tenant.code}/${callbackToken(callbackSecret, tenantId, provider)}`,
                })),
              )
            : [],
      };
    },
  );

  const ZKeyProviderParams = z.strictObject({ provider: z.enum(keyProviders) });
  const ZKeysAnswer = z.object({
    items: z.array(ZProviderKeysView),
    /** Whether keys can be saved here: the server has a master key (YUEHUI_SECRET_KEY, or embedded mode's key file). */
    canSave: z.boolean(),
  });
  const keysAnswer = async (tenantId: string) => ({ items: await providerKeysView(db, tenantId, secretBox, smsSender), canSave: secretBox !== undefined });

  app.get(
    '/messaging/provider-keys',
    {
      config: { permission: 'settings.manage' },
      schema: {
        tags,
        summary:
          "The SMS providers' access keys: whether set and where from (the clinic's or the environment's), the key id masked, when saved — never a secret",
        response: { 200: ZKeysAnswer, ...errorResponses },
      },
    },
    async (req) => keysAnswer(authOf(req).tenantId),
  );

  app.put(
    '/messaging/provider-keys/:provider',
    {
      config: { permission: 'settings.manage' },
      schema: {
        tags,
        summary:
          "Save or replace a provider's access key id and secret, sealed with the server's master key (used over the environment's; audited without the secret)",
        params: ZKeyProviderParams,
        body: z.strictObject({
          /** The AccessKey ID (Aliyun) or SecretId (Tencent Cloud). */
          accessKey: z.string().trim().min(4).max(128),
          /** The AccessKey Secret (Aliyun) or SecretKey (Tencent Cloud): stored sealed, never shown again. */
          secret: z.string().trim().min(8).max(256),
        }),
        response: { 200: ZKeysAnswer, ...errorResponses },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      await db.transaction((tx) =>
        saveProviderKeys(tx, actor, secretBox, req.params.provider, { accessKeyId: req.body.accessKey, secret: req.body.secret }, clock.now()),
      );
      return keysAnswer(actor.tenantId);
    },
  );

  app.delete(
    '/messaging/provider-keys/:provider',
    {
      config: { permission: 'settings.manage' },
      schema: {
        tags,
        summary: "Clear a provider's saved keys (the environment's, if any, apply again; audited)",
        params: ZKeyProviderParams,
        response: { 200: ZKeysAnswer, ...errorResponses },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const cleared = await db.transaction((tx) => clearProviderKeys(tx, actor, req.params.provider));
      if (!cleared) throw new DomainError('not_found', 'SMS_PROVIDER_KEYS_NOT_FOUND', '该服务商没有保存的密钥');
      return keysAnswer(actor.tenantId);
    },
  );

  exposeSetting(app, db, {
    path: '/settings/messaging',
    setting: messagingSetting,
    schema: ZMessagingSettings,
    summary:
      '消息: SMS channel (provider, signature), marketing hours, weekly cap per customer, daily SMS budget, and the WeChat template per topic with its fields',
  });

  exposeSetting(app, db, {
    path: '/settings/message-automations',
    setting: automationsSetting,
    schema: ZMessageAutomations,
    summary:
      '自动消息: appointment reminder, birthday greeting, wake-up, welcome, and the care series after treatments (items or categories, days and advice), each on or off with its timing',
    readPermission: 'messages.read',
    // The welcome's start is the server's to keep: switching it on now must not welcome every customer from before.
    afterSave: async (tx, req, value) => {
      assertCareWording(value.careSeries);
      const kept = withWelcomeStart(value, clock.now());
      if (kept.welcome.onSince !== value.welcome.onSince) await putSetting(tx, actorOf(req), automationsSetting, kept);
    },
  });

  app.get(
    '/messages',
    {
      config: { permission: 'messages.read' },
      schema: {
        tags,
        summary: '消息记录: every message sent or tried, newest first, with what became of it',
        querystring: ZPageQuery.extend({
          customerId: z.uuid().optional(),
          status: z.enum(['queued', 'sending', 'sent', 'delivered', 'failed', 'suppressed', 'unknown']).optional(),
          channel: z.enum(messageChannels).optional(),
          topic: z.string().max(40).optional(),
          /** Only messages created at or after this instant (e.g. the last 30 days of an automation). */
          createdFrom: ZTimestamp.optional(),
          /** One 群发's messages. */
          campaignId: z.uuid().optional(),
        }),
        response: { 200: z.object({ items: z.array(ZMessage), total: z.number().int() }), ...errorResponses },
      },
    },
    async (req) => {
      const { tenantId } = authOf(req);
      const { page, pageSize, customerId, status, channel, topic, createdFrom, campaignId } = req.query;
      const filters: SQL[] = [eq(messages.tenantId, tenantId)];
      if (customerId) filters.push(eq(messages.customerId, customerId));
      if (status) filters.push(eq(messages.status, status));
      if (channel) filters.push(eq(messages.channel, channel));
      if (topic) filters.push(eq(messages.topic, topic));
      if (createdFrom) filters.push(gte(messages.createdAt, new Date(createdFrom)));
      if (campaignId) filters.push(eq(messages.campaignId, campaignId));
      const where = and(...filters);
      const rows = await db
        .select({ message: messages, customerName: customers.name })
        .from(messages)
        .leftJoin(customers, and(eq(customers.tenantId, messages.tenantId), eq(customers.id, messages.customerId)))
        .where(where)
        .orderBy(desc(messages.createdAt), desc(messages.id))
        .limit(pageSize)
        .offset((page - 1) * pageSize);
      const [total] = await db.select({ value: count() }).from(messages).where(where);
      return { items: rows.map((row) => toMessage(row.message, row.customerName)), total: total?.value ?? 0 };
    },
  );

  app.get(
    '/message-topics',
    {
      config: { permission: 'messages.read' },
      schema: {
        tags,
        summary: 'What Yuehui sends, by topic: notice or marketing, variables, and the wording per channel',
        response: { 200: z.object({ items: z.array(ZTemplateView) }), ...errorResponses },
      },
    },
    async (req) => {
      const { tenantId } = authOf(req);
      const custom = await db.select().from(messageTemplates).where(eq(messageTemplates.tenantId, tenantId));
      return {
        items: topics.map((topic) => ({
          topic: topic.key,
          label: topic.label,
          purpose: topic.purpose,
          variables: [...topic.variables],
          channels: topic.channels.map((channel) => {
            const row = custom.find((candidate) => candidate.topic === topic.key && candidate.channel === channel);
            return { channel, ...wordingOf(topic, row), isCustom: row !== undefined };
          }),
        })),
      };
    },
  );

  const ZTopicParams = z.strictObject({ topic: z.string().max(40), channel: z.enum(messageChannels) });
  const knownTopic = (key: string, channel: MessageChannel) => {
    const topic = topicOf(key);
    if (!topic || !(topic.channels as readonly string[]).includes(channel)) throw new DomainError('not_found', 'MESSAGE_TOPIC_NOT_FOUND', '没有这种消息');
    return topic;
  };

  app.put(
    '/message-templates/:topic/:channel',
    {
      config: { permission: 'messages.manage' },
      schema: {
        tags,
        summary: "A topic's wording on a channel (checked against the advertising-law word list), its provider template and whether it is sent",
        params: ZTopicParams,
        body: z.strictObject({
          body: z.string().trim().min(1).max(300),
          providerTemplateCode: z.string().trim().max(40).nullable(),
          isEnabled: z.boolean(),
        }),
        response: {
          200: z.object({ topic: z.string(), channel: z.string(), body: z.string(), providerTemplateCode: z.string().nullable(), isEnabled: z.boolean() }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const topic = knownTopic(req.params.topic, req.params.channel);
      assertKnownVariables(req.body.body, topic.variables);
      assertCustomerWording({ 'body.body': req.body.body });
      if (topic.purpose === 'notice' && !req.body.isEnabled && topic.key === 'portal.code') {
        throw new DomainError('rule', 'TEMPLATE_REQUIRED', '登录验证码不能停用');
      }
      const actor = actorOf(req);
      const now = clock.now();
      return db.transaction(async (tx) => {
        const before = await templateOf(tx, actor.tenantId, topic, req.params.channel);
        const values = {
          body: req.body.body,
          providerTemplateCode: req.body.providerTemplateCode || null,
          isEnabled: req.body.isEnabled,
          updatedBy: actor.id,
          updatedAt: now,
        };
        await tx
          .insert(messageTemplates)
          .values({ tenantId: actor.tenantId, topic: topic.key, channel: req.params.channel, ...values })
          .onConflictDoUpdate({ target: [messageTemplates.tenantId, messageTemplates.topic, messageTemplates.channel], set: values });
        await writeAudit(tx, actor, {
          action: 'message_templates.update',
          entityType: `message_template:${topic.key}:${req.params.channel}`,
          before,
          after: req.body,
        });
        return {
          topic: topic.key,
          channel: req.params.channel,
          body: values.body,
          providerTemplateCode: values.providerTemplateCode,
          isEnabled: values.isEnabled,
        };
      });
    },
  );

  app.post(
    '/message-templates/:topic/:channel/preview',
    {
      config: { permission: 'messages.read' },
      schema: {
        tags,
        summary: "A wording filled in with a real customer's data (nothing is sent)",
        params: ZTopicParams,
        body: z.strictObject({ body: z.string().trim().min(1).max(300), customerId: z.uuid() }),
        response: { 200: z.object({ text: z.string(), forbiddenWords: z.array(z.string()) }), ...errorResponses },
      },
    },
    async (req) => {
      const topic = knownTopic(req.params.topic, req.params.channel);
      const { tenantId } = authOf(req);
      const customer = await getCustomerRow(db, tenantId, req.body.customerId);
      const [tenant] = await db.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, tenantId));
      const today = new Date(clock.now().getTime() + 30 * 86_400_000).toISOString().slice(0, 10);
      const sample: Record<string, string> = {
        姓名: customer.name,
        积分: '1,280',
        到期日: `${Number(today.slice(5, 7))}月${Number(today.slice(8, 10))}日`,
        券名: '「¥50 新客礼代金券」',
        验证码: '123456',
        预约时间: '12月8日 14:30',
        门店: '一号店',
        项目: '光子嫩肤',
        护理提示: '今天请避免用热水洗脸，外出注意防晒。',
        诊所: tenant?.name ?? '',
      };
      return {
        text: renderTemplate(req.body.body, Object.fromEntries(topic.variables.map((name) => [name, sample[name] ?? '']))),
        forbiddenWords: forbiddenWordsIn(req.body.body),
      };
    },
  );

  app.get(
    '/customers/:id/consents',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags,
        summary: "A customer's marketing consent per channel (notices need none)",
        params: ZIdParams,
        response: { 200: ZConsents, ...errorResponses },
      },
    },
    async (req) => {
      const { tenantId } = authOf(req);
      await assertCustomerExists(db, tenantId, req.params.id);
      return consentsOf(db, tenantId, req.params.id);
    },
  );

  app.put(
    '/customers/:id/consents',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags,
        summary: "Record a customer's marketing consent per channel, on her word (audited)",
        params: ZIdParams,
        body: ZConsentsInput,
        response: { 200: ZConsents, ...errorResponses },
      },
    },
    async (req) =>
      db.transaction(async (tx) => {
        const actor = actorOf(req);
        await getCustomerRow(tx, actor.tenantId, req.params.id, { forUpdate: true });
        return saveConsents(tx, actor, req.params.id, req.body, 'staff', clock.now());
      }),
  );

  const ZSuppression = z
    .object({ phone: z.string(), source: z.string(), note: z.string().nullable(), createdAt: ZTimestamp })
    .meta({ id: 'MessageSuppression' });

  app.get(
    '/message-suppressions',
    {
      config: { permission: 'messages.read' },
      schema: {
        tags,
        summary: '退订名单: phones that refused marketing SMS',
        querystring: ZPageQuery,
        response: { 200: z.object({ items: z.array(ZSuppression), total: z.number().int() }), ...errorResponses },
      },
    },
    async (req) => {
      const { tenantId } = authOf(req);
      const rows = await db
        .select()
        .from(messageSuppressions)
        .where(eq(messageSuppressions.tenantId, tenantId))
        .orderBy(desc(messageSuppressions.createdAt))
        .limit(req.query.pageSize)
        .offset((req.query.page - 1) * req.query.pageSize);
      const [total] = await db.select({ value: count() }).from(messageSuppressions).where(eq(messageSuppressions.tenantId, tenantId));
      return {
        items: rows.map((row) => ({ phone: row.phone, source: row.source, note: row.note, createdAt: row.createdAt.toISOString() })),
        total: total?.value ?? 0,
      };
    },
  );

  app.post(
    '/message-suppressions',
    {
      config: { permission: 'messages.manage' },
      schema: {
        tags,
        summary: 'Add a phone to the opt-out list (she asked by phone or at the desk); no marketing SMS reaches it',
        body: z.strictObject({ phone: ZMobile, note: z.string().trim().max(100).nullable().optional() }),
        response: { 201: ZSuppression, 200: ZSuppression, ...errorResponses },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const now = clock.now();
      const phone = normalizeMobile(req.body.phone) ?? req.body.phone;
      return db.transaction(async (tx) => {
        const [row] = await tx
          .insert(messageSuppressions)
          .values({ tenantId: actor.tenantId, phone, source: 'manual', note: req.body.note ?? null, createdBy: actor.id, createdAt: now })
          .onConflictDoNothing()
          .returning();
        if (row) await writeAudit(tx, actor, { action: 'message_suppressions.add', entityType: 'message_suppression', after: { source: 'manual' } });
        const [current] = row
          ? [row]
          : await tx
              .select()
              .from(messageSuppressions)
              .where(and(eq(messageSuppressions.tenantId, actor.tenantId), eq(messageSuppressions.phone, phone)));
        return reply
          .code(row ? 201 : 200)
          .send({ phone, source: current?.source ?? 'manual', note: current?.note ?? null, createdAt: (current?.createdAt ?? now).toISOString() });
      });
    },
  );

  app.delete(
    '/message-suppressions/:phone',
    {
      config: { permission: 'messages.manage' },
      schema: {
        tags,
        summary: 'Take a phone off the opt-out list (she asked to receive again)',
        params: z.strictObject({ phone: ZMobile }),
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      await db.transaction(async (tx) => {
        const rows = await tx
          .delete(messageSuppressions)
          .where(and(eq(messageSuppressions.tenantId, actor.tenantId), eq(messageSuppressions.phone, req.params.phone)))
          .returning({ phone: messageSuppressions.phone });
        if (rows.length === 0) throw new DomainError('not_found', 'SUPPRESSION_NOT_FOUND', '该手机号不在退订名单中');
        await writeAudit(tx, actor, { action: 'message_suppressions.remove', entityType: 'message_suppression' });
      });
      return reply.code(204).send(null);
    },
  );
};

/** 消息 in the member portal: her inbox with the unread count, marking read, and her own marketing consent. */
export const messagingPortalRoutes = (app: App, deps: Deps) => {
  const { db, clock } = deps;
  wechatPortalRoutes(app, deps);
  const portalTags = ['Member portal'];
  const ZInboxMessage = z
    .object({ id: z.uuid(), title: z.string(), body: z.string(), createdAt: ZTimestamp, isRead: z.boolean() })
    .meta({ id: 'InboxMessage' });

  app.get(
    '/messages',
    {
      schema: {
        tags: portalTags,
        summary: 'My messages, newest first, and how many are unread',
        querystring: ZPageQuery,
        response: { 200: z.object({ items: z.array(ZInboxMessage), unread: z.number().int() }), ...errorResponses },
      },
    },
    async (req) => {
      const member = memberOf(req);
      const mine = and(
        eq(messages.tenantId, member.tenantId),
        eq(messages.customerId, member.customerId),
        eq(messages.channel, 'portal'),
        eq(messages.status, 'delivered'),
      );
      const rows = await db
        .select()
        .from(messages)
        .where(mine)
        .orderBy(desc(messages.createdAt), desc(messages.id))
        .limit(req.query.pageSize)
        .offset((req.query.page - 1) * req.query.pageSize);
      const [unread] = await db
        .select({ value: count() })
        .from(messages)
        .where(and(mine, isNull(messages.readAt)));
      return {
        items: rows.map((row) => ({ id: row.id, title: row.title, body: row.body, createdAt: row.createdAt.toISOString(), isRead: row.readAt !== null })),
        unread: unread?.value ?? 0,
      };
    },
  );

  app.post(
    '/messages/:id/read',
    { schema: { tags: portalTags, summary: 'Mark one of my messages read', params: ZIdParams, response: { 204: z.null(), ...errorResponses } } },
    async (req, reply) => {
      const member = memberOf(req);
      const rows = await db
        .update(messages)
        .set({ readAt: clock.now() })
        .where(
          and(
            eq(messages.tenantId, member.tenantId),
            eq(messages.customerId, member.customerId),
            eq(messages.channel, 'portal'),
            eq(messages.id, req.params.id),
          ),
        )
        .returning({ id: messages.id });
      if (rows.length === 0) throw new DomainError('not_found', 'MESSAGE_NOT_FOUND', '消息不存在');
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/consents',
    { schema: { tags: portalTags, summary: 'Whether I accept marketing messages, per channel', response: { 200: ZConsents, ...errorResponses } } },
    async (req) => {
      const member = memberOf(req);
      return consentsOf(db, member.tenantId, member.customerId);
    },
  );

  app.put(
    '/consents',
    {
      schema: {
        tags: portalTags,
        summary: 'Accept or refuse marketing messages, per channel (effective at once)',
        body: ZConsentsInput,
        response: { 200: ZConsents, ...errorResponses },
      },
    },
    async (req) => {
      const member = memberOf(req);
      return db.transaction((tx) =>
        saveConsents(tx, { tenantId: member.tenantId, type: 'customer', id: member.customerId }, member.customerId, req.body, 'portal', clock.now()),
      );
    },
  );
};
