import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { writeAudit } from '../../platform/audit.js';
import { addDays } from '../../platform/clock.js';
import { dayBegins } from '../../platform/context.js';
import type { Deps } from '../../platform/deps.js';
import { DomainError } from '../../platform/errors.js';
import { type App, actorOf, authOf, ctxOf, errorResponses, ZIdParams, ZTimestamp } from '../../platform/http.js';
import { idempotentWrite } from '../../platform/idempotent-route.js';
import { outbox } from '../../platform/outbox.js';
import { getItemRow } from '../catalog/index.js';
import { getCustomerRow } from '../customers/index.js';
import { getSetting, putSetting } from '../settings/index.js';
import { calendarOfYear, findHoliday, holidayKinds, holidaysBetween, putClinicHoliday, removeClinicHoliday } from './calendar.js';
import { earnForEvent } from './events.js';
import { earningImpact } from './impact.js';
import { adjustPoints } from './ledger.js';
import { entryView, explainEntry, pointsOverview } from './queries.js';
import { earnForPayments } from './rules.js';
import { expiryFor, pointsEvents, pointsSettingsSetting, ZPointsSettings } from './settings.js';

const tags = ['Points'];

const ZCalendarDay = z
  .object({
    day: z.iso.date(),
    name: z.string(),
    kind: z.enum(holidayKinds).describe('national_holiday 法定节假日 | makeup_workday 调休上班 | clinic_holiday 本店节日 | clinic_off 本店不按节假日'),
    source: z.string().describe("`clinic` for the clinic's own setting, else where the national calendar came from"),
    overrideId: z.uuid().nullable(),
    national: z.object({ name: z.string(), isWorkday: z.boolean() }).nullable(),
  })
  .meta({ id: 'HolidayCalendarDay' });

const ZClinicHoliday = z.object({ id: z.uuid(), day: z.iso.date(), name: z.string(), isHoliday: z.boolean() }).meta({ id: 'ClinicHoliday' });

const ZClinicHolidayInput = z
  .strictObject({
    name: z.string().trim().min(1, '节日名称不能为空').max(30, '节日名称最多 30 个字').optional(),
    isHoliday: z.boolean(),
  })
  .refine((input) => !input.isHoliday || input.name !== undefined, { path: ['name'], message: '请填写节日名称' });

const ZEntry = z.object({
  id: z.uuid(),
  type: z.enum(['earn', 'redeem', 'expire', 'adjust', 'reverse']),
  points: z.number().int(),
  growth: z.number().int(),
  sourceType: z.string(),
  sourceId: z.string().nullable(),
  reason: z.record(z.string(), z.unknown()),
  reversesId: z.uuid().nullable(),
  actorId: z.uuid().nullable(),
  createdAt: ZTimestamp,
});

const ZPointsOverview = z
  .object({
    balance: z.number().int(),
    active: z.number().int(),
    pending: z.number().int(),
    debt: z.number().int(),
    growth: z.number().int(),
    expiringSoon: z.object({ points: z.number().int(), withinDays: z.number().int(), firstAt: ZTimestamp.nullable() }),
    lots: z.array(
      z.object({
        id: z.uuid(),
        entryId: z.uuid(),
        points: z.number().int(),
        remaining: z.number().int(),
        state: z.enum(['pending', 'active']),
        availableAt: ZTimestamp,
        expiresAt: ZTimestamp.nullable(),
        createdAt: ZTimestamp,
      }),
    ),
    entries: z.array(ZEntry),
  })
  .meta({ id: 'PointsOverview' });

/** Manual adjustments above this size need the owner (a large grant is a liability). */
export const largeAdjustment = 10_000;

export const pointsRoutes = (app: App, { db, clock }: Deps) => {
  app.get(
    '/customers/:id/points',
    {
      config: { permission: 'points.read' },
      schema: {
        tags,
        summary: 'Points by state (active, pending), lots with expiry and history with reasons',
        params: ZIdParams,
        response: { 200: ZPointsOverview, ...errorResponses },
      },
    },
    async (req) => {
      const { tenantId } = authOf(req);
      await getCustomerRow(db, tenantId, req.params.id);
      return pointsOverview(db, tenantId, req.params.id, clock.now(), { expiringWithinDays: 30 });
    },
  );

  app.get(
    '/points/entries/:id',
    {
      config: { permission: 'points.read' },
      schema: {
        tags,
        summary: 'Explain an entry: its rule, reasons and the lots it touched',
        params: ZIdParams,
        response: {
          200: z.object({
            entry: ZEntry,
            movements: z.array(z.object({ lotId: z.uuid(), points: z.number().int(), lotEntryId: z.uuid(), lotExpiresAt: ZTimestamp.nullable() })),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => explainEntry(db, authOf(req).tenantId, req.params.id),
  );

  app.post(
    '/customers/:id/points/adjustments',
    {
      config: { permission: 'points.adjust' },
      schema: {
        tags,
        summary: 'Manual adjustment with a reason (audited)',
        description: 'Requires an `Idempotency-Key`. Adjustments above 10 000 points need the owner.',
        params: ZIdParams,
        body: z.strictObject({
          points: z
            .number()
            .int()
            .refine((value) => value !== 0, '调整积分不能为 0'),
          reason: z.string().trim().min(1, '请填写调整原因').max(200),
          expiresInDays: z.number().int().min(1).max(3650).nullable().optional(),
        }),
        response: { 201: ZEntry, ...errorResponses },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req, clock);
      if (Math.abs(req.body.points) > largeAdjustment && authOf(req).role !== 'owner') {
        throw new DomainError('forbidden', 'STEP_UP_REQUIRED', `超过 ${largeAdjustment} 积分的调整须由老板操作`);
      }
      return idempotentWrite(db, req, reply, { isKeyRequired: true }, async (tx) => {
        // No separate read of the customer: the account lock answers 404 for one that does not exist.
        const key = req.headers['idempotency-key'];
        const result = await adjustPoints(tx, {
          tenantId: ctx.tenantId,
          customerId: req.params.id,
          idempotencyKey: `manual:${String(key)}`,
          now: ctx.now,
          actorId: ctx.actor.id,
          sourceType: 'manual',
          reason: { rule: 'manual', note: req.body.reason },
          points: req.body.points,
          // Without a validity of its own, an adjustment expires like earned points do.
          expiresAt: req.body.expiresInDays
            ? new Date(ctx.now.getTime() + req.body.expiresInDays * 86_400_000)
            : expiryFor((await getSetting(tx, ctx.tenantId, pointsSettingsSetting)).expiry, ctx.now, ctx.today, (date) => dayBegins(ctx, date)),
        });
        await writeAudit(tx, ctx.actor, {
          action: 'points.adjust',
          entityType: 'customer',
          entityId: req.params.id,
          after: { points: req.body.points, reason: req.body.reason, entryId: result.entry.id },
        });
        return { status: 201, body: entryView(result.entry) };
      });
    },
  );

  app.post(
    '/customers/:id/points/events',
    {
      config: { permission: 'points.adjust' },
      schema: {
        tags,
        summary: '互动积分: points for an interaction (registration, survey, diary, referral, skin check, post-op care, birthday), within caps',
        description: 'The same event and reference never earn twice; a replay returns the first entry.',
        params: ZIdParams,
        body: z.strictObject({ event: z.enum(pointsEvents), reference: z.string().trim().min(1).max(100) }),
        response: { 201: ZEntry, ...errorResponses },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req, clock);
      const result = await db.transaction(async (tx) => {
        await getCustomerRow(tx, ctx.tenantId, req.params.id);
        const earned = await earnForEvent(tx, ctx, { customerId: req.params.id, event: req.body.event, reference: req.body.reference });
        return (await explainEntry(tx, ctx.tenantId, earned.entry.id)).entry;
      });
      return reply.code(201).send(result);
    },
  );

  app.get(
    '/customers/:id/points/reminders',
    {
      config: { permission: 'points.read' },
      schema: {
        tags,
        summary: 'Expiry reminders queued for the customer (delivered by the messaging module)',
        params: ZIdParams,
        response: {
          200: z.object({
            items: z.array(
              z.object({ id: z.uuid(), channel: z.string(), status: z.string(), payload: z.record(z.string(), z.unknown()), createdAt: ZTimestamp }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const { tenantId } = authOf(req);
      await getCustomerRow(db, tenantId, req.params.id);
      const rows = await db
        .select()
        .from(outbox)
        .where(and(eq(outbox.tenantId, tenantId), eq(outbox.customerId, req.params.id), eq(outbox.topic, 'points.expiring')))
        .orderBy(desc(outbox.createdAt))
        .limit(50);
      return {
        items: rows.map((row) => ({
          id: row.id,
          channel: row.channel,
          status: row.status,
          payload: row.payload as Record<string, unknown>,
          createdAt: row.createdAt.toISOString(),
        })),
      };
    },
  );

  app.get(
    '/settings/points',
    {
      config: { permission: 'points.read' },
      schema: {
        tags: ['Settings'],
        summary: '积分 settings: earning, redemption, pending days, expiry',
        response: { 200: ZPointsSettings, ...errorResponses },
      },
    },
    async (req) => getSetting(db, authOf(req).tenantId, pointsSettingsSetting),
  );

  app.put(
    '/settings/points',
    {
      config: { permission: 'settings.manage' },
      schema: {
        tags: ['Settings'],
        summary: 'Change the points settings (audited)',
        body: ZPointsSettings,
        response: { 200: ZPointsSettings, ...errorResponses },
      },
    },
    async (req) => db.transaction((tx) => putSetting(tx, ctxOf(req, clock).actor, pointsSettingsSetting, req.body)),
  );

  app.get(
    '/settings/points/holidays',
    {
      config: { permission: 'points.read' },
      schema: {
        tags: ['Settings'],
        summary: "节假日日历: a year's national holidays and make-up workdays merged with this clinic's own days",
        querystring: z.strictObject({ year: z.coerce.number().int('年份须为整数').min(2000, '年份须在 2000–2100 之间').max(2100, '年份须在 2000–2100 之间') }),
        response: { 200: z.object({ year: z.number().int(), items: z.array(ZCalendarDay) }), ...errorResponses },
      },
    },
    async (req) => ({ year: req.query.year, items: await calendarOfYear(db, { tenantId: authOf(req).tenantId, year: req.query.year }) }),
  );

  app.put(
    '/settings/points/holidays/:day',
    {
      config: { permission: 'settings.manage' },
      schema: {
        tags: ['Settings'],
        summary: "Set this clinic's meaning of a day: its own holiday (活动节日) or a national holiday it does not keep (audited)",
        description: 'Replaces an earlier setting of the same day. `isHoliday: false` is only for national holidays. The national calendar is never changed.',
        params: z.strictObject({ day: z.iso.date('日期格式须为 YYYY-MM-DD') }),
        body: ZClinicHolidayInput,
        response: { 200: ZClinicHoliday, ...errorResponses },
      },
    },
    async (req) =>
      db.transaction((tx) => putClinicHoliday(tx, actorOf(req), { day: req.params.day, name: req.body.name, isHoliday: req.body.isHoliday, now: clock.now() })),
  );

  app.delete(
    '/settings/points/holidays/:id',
    {
      config: { permission: 'settings.manage' },
      schema: {
        tags: ['Settings'],
        summary: "Remove this clinic's setting of a day: the national calendar applies again (audited)",
        params: ZIdParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (req, reply) => {
      await db.transaction((tx) => removeClinicHoliday(tx, actorOf(req), req.params.id));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/settings/points/impact',
    {
      config: { permission: 'points.read' },
      schema: {
        tags: ['Settings'],
        summary: 'Before saving: replay the last 90 days of payments under the proposed earning rules (points issued and liability)',
        body: ZPointsSettings,
        response: {
          200: z.object({
            days: z.number().int(),
            payments: z.number().int(),
            currentPoints: z.number().int(),
            proposedPoints: z.number().int(),
            changePercent: z.number(),
            proposedLiabilityFen: z.number().int(),
            isWarning: z.boolean(),
            warningPercent: z.number(),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, clock);
      const current = await getSetting(db, ctx.tenantId, pointsSettingsSetting);
      const holidays = await holidaysBetween(db, { tenantId: ctx.tenantId, from: addDays(ctx.today, -90), to: ctx.today });
      return earningImpact(db, {
        tenantId: ctx.tenantId,
        today: ctx.today,
        days: 90,
        current: current.earning,
        proposed: req.body.earning,
        pointsPerYuanRedeemed: req.body.redemption.pointsPerYuan,
        holidays,
      });
    },
  );

  app.post(
    '/points/preview',
    {
      config: { permission: 'points.read' },
      schema: {
        tags,
        summary: 'Preview what an order would earn, with the explanation (no side effects)',
        body: z.strictObject({
          amountFen: z.number().int().min(0),
          method: z.string().default('wechat'),
          date: z.iso.date(),
          tierId: z.string().nullable().optional(),
          tierName: z.string().optional(),
          itemName: z.string().default('订单'),
          /** An item of the catalogue: its item and category multipliers apply, with `amountFen` as its unit price. */
          itemId: z.uuid().optional(),
          settings: ZPointsSettings.optional(),
        }),
        response: {
          200: z.object({ points: z.number().int(), basePoints: z.number().int(), reasons: z.array(z.string()), isHoliday: z.boolean() }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const { tenantId } = authOf(req);
      const settings = req.body.settings ?? (await getSetting(db, tenantId, pointsSettingsSetting));
      const item = req.body.itemId ? await getItemRow(db, tenantId, req.body.itemId) : undefined;
      const holiday = await findHoliday(db, { tenantId, day: req.body.date });
      const isHoliday = holiday !== undefined;
      const earning = earnForPayments(
        {
          date: req.body.date,
          isHoliday,
          clinicHolidayName: holiday?.kind === 'clinic_holiday' ? holiday.name : undefined,
          tierId: req.body.tierId ?? null,
          tierName: req.body.tierName,
          payments: [{ method: req.body.method, amountFen: req.body.amountFen }],
          lines: [
            {
              lineId: 'preview',
              itemId: item?.id ?? 'preview',
              categoryId: item?.categoryId ?? null,
              name: item?.name ?? req.body.itemName,
              unitPriceFen: req.body.amountFen,
              amountFen: req.body.amountFen,
            },
          ],
        },
        settings.earning,
      );
      return { points: earning.points, basePoints: earning.basePoints, reasons: earning.reasons, isHoliday };
    },
  );
};
