import { and, eq, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../db/client.js';
import type { Ctx } from '../../platform/context.js';
import { dayBegins } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { getSetting } from '../settings/index.js';
import { earnPoints } from './ledger.js';
import { expiryFor, type PointsEvent, pointsEventLabels, pointsSettingsSetting } from './settings.js';
import { pointsEntries } from './tables.js';

/**
 * Points for an interaction, within the event's daily and monthly caps (tenant's calendar).
 * `reference` names the occurrence (a survey id, a diary post, the referred customer, the
 * birthday year) so the same occurrence never earns twice.
 */
export const earnForEvent = async (tx: Executor, ctx: Ctx, input: { customerId: string; event: PointsEvent; reference: string }) => {
  const settings = await getSetting(tx, ctx.tenantId, pointsSettingsSetting);
  const rule = settings.events[input.event];
  const label = pointsEventLabels[input.event];
  if (!settings.isEnabled || !rule || rule.points <= 0) throw new DomainError('rule', 'POINTS_EVENT_OFF', `「${label}」未设置积分`);
  // Registration earns once in a lifetime, the birthday once a year: the key says so.
  const occurrence = input.event === 'registration' ? 'once' : input.reference;
  const idempotencyKey = `event:${input.event}:${input.customerId}:${occurrence}`;
  const [existing] = await tx
    .select({ id: pointsEntries.id })
    .from(pointsEntries)
    .where(and(eq(pointsEntries.tenantId, ctx.tenantId), eq(pointsEntries.idempotencyKey, idempotencyKey)));
  if (!existing) {
    const dayStart = dayBegins(ctx, ctx.today);
    const monthStart = dayBegins(ctx, `${ctx.today.slice(0, 8)}01`);
    const [counts] = await queryRows<{ today: number; month: number }>(
      tx,
      sql`select count(*) filter (where created_at >= ${dayStart.toISOString()}::timestamptz)::int as today,
                 count(*) filter (where created_at >= ${monthStart.toISOString()}::timestamptz)::int as month
          from ${pointsEntries}
          where tenant_id = ${ctx.tenantId} and customer_id = ${input.customerId} and source_type = 'event' and type = 'earn' and reason->>'event' = ${input.event}`,
    );
    if ((counts?.today ?? 0) >= rule.perDay) throw new DomainError('rule', 'POINTS_EVENT_CAPPED', `「${label}」今天已达上限（每天 ${rule.perDay} 次）`);
    if ((counts?.month ?? 0) >= rule.perMonth) throw new DomainError('rule', 'POINTS_EVENT_CAPPED', `「${label}」本月已达上限（每月 ${rule.perMonth} 次）`);
  }
  return earnPoints(tx, {
    tenantId: ctx.tenantId,
    customerId: input.customerId,
    idempotencyKey,
    now: ctx.now,
    actorId: ctx.actor.id,
    sourceType: 'event',
    sourceId: input.reference,
    reason: { rule: 'event', event: input.event, label, reference: input.reference, explanation: [`${label}：${rule.points} 积分`] },
    points: rule.points,
    // Interactions are not purchases: nothing to refund, so no pending window.
    availableAt: ctx.now,
    expiresAt: expiryFor(settings.expiry, ctx.now, ctx.today, (date) => dayBegins(ctx, date)),
  });
};
