import { and, asc, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../db/client.js';
import { writeAudit } from '../../platform/audit.js';
import { addDays } from '../../platform/clock.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError, isUniqueViolation, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { customers, getCustomerRow } from '../customers/index.js';
import type { CardProductRow } from './products.js';
import type { CustomerCardView } from './schemas.js';
import { customerCardMembers, customerCards, customerCardUses, type DiscountRule, type MemberLimits } from './tables.js';

type CardRow = typeof customerCards.$inferSelect;

/** The last valid day of a card bought on `from`: a year less a day (annual), or none (lifetime). */
export const validToOf = (validity: string | null, from: string): string | null => {
  if (validity !== 'annual') return null;
  const [year, month, day] = from.split('-').map(Number) as [number, number, number];
  // 29 February + 1 year is 28 February of the next year (then less a day: the 27th would cheat her of a day, so keep the 28th).
  const next = new Date(Date.UTC(year + 1, month - 1, day));
  if (next.getUTCMonth() !== month - 1) return `${year + 1}-${String(month).padStart(2, '0')}-28`;
  return addDays(next.toISOString().slice(0, 10), -1);
};

export const isCardValidOn = (card: Pick<CardRow, 'status' | 'validFrom' | 'validTo'>, date: string) =>
  card.status === 'active' && card.validFrom <= date && (card.validTo === null || card.validTo >= date);

/** 售卡: selling a paid membership card creates the customer's card, with the product's terms as sold. */
export const issueMembershipCard = async (
  tx: Executor,
  ctx: Ctx,
  input: { customerId: string; product: CardProductRow; orderId: string | null; orderLineId: string | null },
) => {
  const card = {
    tenantId: ctx.tenantId,
    id: newId(),
    customerId: input.customerId,
    cardProductId: input.product.id,
    name: input.product.name,
    orderId: input.orderId,
    orderLineId: input.orderLineId,
    validFrom: ctx.today,
    validTo: validToOf(input.product.validity, ctx.today),
    familyLimit: input.product.familyLimit ?? 1,
    discountRules: input.product.discountRules,
    memberLimits: input.product.memberLimits,
    // 赠券: issued by the voucher module when it lands; until then recorded here as pending.
    pendingVouchers: input.product.bundledVouchers.map((voucher) => ({ ...voucher, status: 'pending' })),
    status: 'active',
    cancelledAt: null,
    createdAt: ctx.now,
  };
  await tx.insert(customerCards).values(card);
  await writeAudit(tx, ctx.actor, { action: 'cards.card.issue', entityType: 'customer_card', entityId: card.id, after: card });
  return card;
};

export const lockCard = async (tx: Executor, tenantId: string, cardId: string) => {
  const [card] = await tx
    .select()
    .from(customerCards)
    .where(and(eq(customerCards.tenantId, tenantId), eq(customerCards.id, cardId)))
    .for('update');
  if (!card) throw notFound('会员卡', 'CARD_NOT_FOUND');
  return card;
};

const activeMembers = (tx: Executor, tenantId: string, cardId: string) =>
  tx
    .select()
    .from(customerCardMembers)
    .where(and(eq(customerCardMembers.tenantId, tenantId), eq(customerCardMembers.cardId, cardId), isNull(customerCardMembers.removedAt)));

/** A refunded card is cancelled: it stops giving benefits to the owner and every member. */
export const cancelCard = async (tx: Executor, ctx: Ctx, cardId: string, reason: Record<string, unknown>) => {
  const card = await lockCard(tx, ctx.tenantId, cardId);
  if (card.status === 'cancelled') throw new DomainError('rule', 'CARD_ALREADY_CANCELLED', '该会员卡已作废');
  await tx
    .update(customerCards)
    .set({ status: 'cancelled', cancelledAt: ctx.now })
    .where(and(eq(customerCards.tenantId, ctx.tenantId), eq(customerCards.id, cardId)));
  await writeAudit(tx, ctx.actor, {
    action: 'cards.card.cancel',
    entityType: 'customer_card',
    entityId: cardId,
    before: { status: card.status },
    after: { status: 'cancelled', ...reason },
  });
};

/**
 * 添加家庭成员: the owner shares the card with an existing customer, up to the card's limit
 * (people, the owner included). The card row is locked, so two desks adding at once cannot
 * pass the limit together.
 */
export const addCardMember = async (tx: Executor, ctx: Ctx, input: { cardId: string; customerId: string; relation?: string | null }) => {
  const card = await lockCard(tx, ctx.tenantId, input.cardId);
  if (!isCardValidOn(card, ctx.today)) throw new DomainError('rule', 'CARD_NOT_VALID', '会员卡已过期或已作废，不能添加家庭成员');
  if (input.customerId === card.customerId)
    throw new DomainError('rule', 'CARD_MEMBER_IS_OWNER', '持卡人本人无需添加', [{ path: 'body.customerId', message: '是持卡人' }]);
  const member = await getCustomerRow(tx, ctx.tenantId, input.customerId).catch(() => {
    throw new DomainError('rule', 'CUSTOMER_NOT_FOUND', '客户不存在', [{ path: 'body.customerId', message: '客户不存在' }]);
  });
  const members = await activeMembers(tx, ctx.tenantId, card.id);
  if (members.some((row) => row.customerId === member.id)) throw new DomainError('conflict', 'CARD_MEMBER_EXISTS', `${member.name} 已在这张卡上`);
  if (members.length + 1 >= card.familyLimit) {
    throw new DomainError('rule', 'CARD_FAMILY_FULL', `这张卡最多 ${card.familyLimit} 人共享（含持卡人），已满`, [
      { path: 'body.customerId', message: '人数已满' },
    ]);
  }
  const row = {
    tenantId: ctx.tenantId,
    id: newId(),
    cardId: card.id,
    customerId: member.id,
    relation: input.relation ?? null,
    addedBy: ctx.actor.id,
    addedAt: ctx.now,
  };
  await tx
    .insert(customerCardMembers)
    .values(row)
    .catch((error: unknown) => {
      if (isUniqueViolation(error)) throw new DomainError('conflict', 'CARD_MEMBER_EXISTS', `${member.name} 已在这张卡上`);
      throw error;
    });
  await writeAudit(tx, ctx.actor, {
    action: 'cards.member.add',
    entityType: 'customer_card',
    entityId: card.id,
    after: { customerId: member.id, relation: row.relation },
  });
  return row;
};

/** 移除家庭成员: the row stays, with who removed her and when. */
export const removeCardMember = async (tx: Executor, ctx: Ctx, input: { cardId: string; customerId: string }) => {
  const card = await lockCard(tx, ctx.tenantId, input.cardId);
  const [member] = (await activeMembers(tx, ctx.tenantId, card.id)).filter((row) => row.customerId === input.customerId);
  if (!member) throw notFound('家庭成员', 'CARD_MEMBER_NOT_FOUND');
  await tx
    .update(customerCardMembers)
    .set({ removedAt: ctx.now, removedBy: ctx.actor.id })
    .where(and(eq(customerCardMembers.tenantId, ctx.tenantId), eq(customerCardMembers.id, member.id)));
  await writeAudit(tx, ctx.actor, { action: 'cards.member.remove', entityType: 'customer_card', entityId: card.id, before: { customerId: member.customerId } });
};

/** Benefits a customer may use from one card: hers, or a family card she is on. */
export type CardBenefit = {
  cardId: string;
  cardProductId: string;
  name: string;
  ownerId: string;
  isOwner: boolean;
  validFrom: string;
  validTo: string | null;
  isValid: boolean;
  discountRules: DiscountRule[];
  memberLimits: MemberLimits;
  /** Uses left for this customer in the current period; null: no limit. */
  usesLeft: number | null;
  pendingVouchers: { name: string; faceValueFen: number; quantity: number; status: string }[];
  /** The card's vouchers with what this customer has left of each (卡内券, per member). */
  vouchers: CardVoucher[];
};

export type CardVoucher = {
  /** `voucher:<index>` on the card. */
  ref: string;
  name: string;
  faceValueFen: number;
  thresholdFen: number;
  categoryIds: string[];
  quantity: number;
  left: number;
};

type CardVoucherSource = { name: string; faceValueFen: number; quantity: number; thresholdFen?: number; categoryIds?: string[] };

const voucherUsesOf = async (tx: Executor, tenantId: string, cardId: string, customerId: string) => {
  const rows = await queryRows<{ ref: string; uses: number }>(
    tx,
    sql`select u.benefit_ref as ref, count(*)::int as uses from ${customerCardUses} u
        where u.tenant_id = ${tenantId} and u.card_id = ${cardId} and u.customer_id = ${customerId} and u.benefit = 'voucher' and u.reverses_id is null
          and not exists (select 1 from ${customerCardUses} r where r.tenant_id = u.tenant_id and r.reverses_id = u.id)
        group by u.benefit_ref`,
  );
  return new Map(rows.map((row) => [row.ref, Number(row.uses)]));
};

const cardVouchersOf = (sources: readonly CardVoucherSource[], used: Map<string, number>): CardVoucher[] =>
  sources.map((voucher, index) => {
    const ref = `voucher:${index}`;
    return {
      ref,
      name: voucher.name,
      faceValueFen: voucher.faceValueFen,
      thresholdFen: voucher.thresholdFen ?? 0,
      categoryIds: voucher.categoryIds ?? [],
      quantity: voucher.quantity,
      left: Math.max(0, voucher.quantity - (used.get(ref) ?? 0)),
    };
  });

const periodStart = (card: Pick<CardRow, 'validFrom'>, limits: MemberLimits, today: string) => {
  if (limits.period === 'card') return card.validFrom;
  // The card year: from the anniversary of its start on or before today.
  const [startYear, month, day] = card.validFrom.split('-').map(Number) as [number, number, number];
  const todayYear = Number(today.slice(0, 4));
  for (let year = todayYear; year >= startYear; year--) {
    const anniversary = `${year}-${String(month).padStart(2, '0')}-${String(Math.min(day, 28 + (month === 2 ? 0 : 3))).padStart(2, '0')}`;
    if (anniversary <= today) return anniversary < card.validFrom ? card.validFrom : anniversary;
  }
  return card.validFrom;
};

const usesOf = async (tx: Executor, tenantId: string, cardId: string, customerId: string, fromDate: string, timezone: string) => {
  const [row] = await queryRows<{ uses: number }>(
    tx,
    sql`select count(*)::int as uses from ${customerCardUses} u
        where u.tenant_id = ${tenantId} and u.card_id = ${cardId} and u.customer_id = ${customerId} and u.reverses_id is null and u.benefit <> 'voucher'
          and not exists (select 1 from ${customerCardUses} r where r.tenant_id = u.tenant_id and r.reverses_id = u.id)
          and (u.created_at at time zone ${timezone})::date >= ${fromDate}::date`,
  );
  return Number(row?.uses ?? 0);
};

/**
 * The cards whose benefits `customerId` may use on `date`: her own and the family cards she is
 * on, with validity and the uses she has left. Invalid cards are listed too (isValid false),
 * so a quote can explain why a benefit did not apply. The pricing function consumes this.
 */
export const resolveCardsForCustomer = async (
  tx: Executor,
  input: { tenantId: string; customerId: string; date: string; timezone: string },
): Promise<CardBenefit[]> => {
  const memberOf = tx
    .select({ cardId: customerCardMembers.cardId })
    .from(customerCardMembers)
    .where(and(eq(customerCardMembers.tenantId, input.tenantId), eq(customerCardMembers.customerId, input.customerId), isNull(customerCardMembers.removedAt)));
  const cards = await tx
    .select()
    .from(customerCards)
    .where(and(eq(customerCards.tenantId, input.tenantId), or(eq(customerCards.customerId, input.customerId), inArray(customerCards.id, memberOf))))
    .orderBy(asc(customerCards.createdAt));
  const benefits: CardBenefit[] = [];
  for (const card of cards) {
    const limits = card.memberLimits;
    const used =
      limits.usesPerMember === null ? 0 : await usesOf(tx, input.tenantId, card.id, input.customerId, periodStart(card, limits, input.date), input.timezone);
    benefits.push({
      cardId: card.id,
      cardProductId: card.cardProductId,
      name: card.name,
      ownerId: card.customerId,
      isOwner: card.customerId === input.customerId,
      validFrom: card.validFrom,
      validTo: card.validTo,
      isValid: isCardValidOn(card, input.date),
      discountRules: card.discountRules,
      memberLimits: limits,
      usesLeft: limits.usesPerMember === null ? null : Math.max(0, limits.usesPerMember - used),
      pendingVouchers: card.pendingVouchers as CardBenefit['pendingVouchers'],
      vouchers: cardVouchersOf(card.pendingVouchers as CardVoucherSource[], await voucherUsesOf(tx, input.tenantId, card.id, input.customerId)),
    });
  }
  return benefits;
};

/**
 * 用卡记录: one use of a card's benefit by a member, with the order line — the audit of who
 * used what. Checked under the card lock: the card is valid, she is its owner or on it, and
 * within her per-member limit. The pricing commit calls this in the order's transaction.
 */
export const recordCardUse = async (
  tx: Executor,
  ctx: Ctx,
  input: {
    cardId: string;
    customerId: string;
    orderId?: string | null;
    orderLineId?: string | null;
    benefit: 'discount' | 'voucher' | 'other';
    /** For a voucher: `voucher:<index>` on the card. */
    benefitRef?: string | null;
    amountFen: number;
  },
) => {
  const card = await lockCard(tx, ctx.tenantId, input.cardId);
  if (!isCardValidOn(card, ctx.today)) throw new DomainError('rule', 'CARD_NOT_VALID', `「${card.name}」已过期或已作废`);
  if (card.customerId !== input.customerId) {
    const members = await activeMembers(tx, ctx.tenantId, card.id);
    if (!members.some((row) => row.customerId === input.customerId)) throw new DomainError('rule', 'CARD_NOT_MEMBER', '该客户不是这张卡的持卡人或家庭成员');
  }
  if (input.benefit === 'voucher') {
    const voucher = cardVouchersOf(card.pendingVouchers as CardVoucherSource[], await voucherUsesOf(tx, ctx.tenantId, card.id, input.customerId)).find(
      (candidate) => candidate.ref === input.benefitRef,
    );
    if (!voucher) throw new DomainError('rule', 'CARD_VOUCHER_NOT_FOUND', '卡内没有这张券');
    if (voucher.left <= 0) throw new DomainError('rule', 'CARD_VOUCHER_USED_UP', `「${voucher.name}」已用完`);
  }
  const limits = card.memberLimits;
  if (limits.usesPerMember !== null && input.benefit !== 'voucher') {
    const used = await usesOf(tx, ctx.tenantId, card.id, input.customerId, periodStart(card, limits, ctx.today), ctx.timezone);
    if (used >= limits.usesPerMember) {
      throw new DomainError('rule', 'CARD_MEMBER_LIMIT', `每人${limits.period === 'year' ? '每年' : ''}最多使用 ${limits.usesPerMember} 次，已用完`);
    }
  }
  const row = {
    tenantId: ctx.tenantId,
    id: newId(),
    cardId: card.id,
    customerId: input.customerId,
    orderId: input.orderId ?? null,
    orderLineId: input.orderLineId ?? null,
    benefit: input.benefit,
    benefitRef: input.benefitRef ?? null,
    amountFen: input.amountFen,
    reversesId: null,
    actorId: ctx.actor.id,
    createdAt: ctx.now,
  };
  await tx.insert(customerCardUses).values(row);
  return row;
};

/** A refunded line gives the use back: a reversal row naming it (at most once). */
export const reverseCardUse = async (tx: Executor, ctx: Ctx, useId: string) => {
  const [use] = await tx
    .select()
    .from(customerCardUses)
    .where(and(eq(customerCardUses.tenantId, ctx.tenantId), eq(customerCardUses.id, useId)));
  if (!use || use.reversesId) throw notFound('用卡记录', 'CARD_USE_NOT_FOUND');
  await lockCard(tx, ctx.tenantId, use.cardId);
  const row = { ...use, id: newId(), amountFen: -use.amountFen, reversesId: use.id, actorId: ctx.actor.id, createdAt: ctx.now };
  await tx
    .insert(customerCardUses)
    .values(row)
    .catch((error: unknown) => {
      if (isUniqueViolation(error)) throw new DomainError('conflict', 'CARD_USE_ALREADY_REVERSED', '该用卡记录已撤销');
      throw error;
    });
  return row;
};

/**
 * Gives back the card benefits an order used (all, or those of some lines): a voided order or a
 * refunded line. Benefits come back where the card is still valid; each use is reversed once.
 */
export const reverseCardUsesOfOrder = async (tx: Executor, ctx: Ctx, input: { orderId: string; lineIds?: string[] }) => {
  if (input.lineIds?.length === 0) return 0;
  const lines = input.lineIds
    ? sql` and u.order_line_id in (${sql.join(
        input.lineIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`
    : sql``;
  const uses = await queryRows<{ id: string }>(
    tx,
    sql`select u.id from ${customerCardUses} u
        where u.tenant_id = ${ctx.tenantId} and u.order_id = ${input.orderId} and u.reverses_id is null${lines}
          and not exists (select 1 from ${customerCardUses} r where r.tenant_id = u.tenant_id and r.reverses_id = u.id)
        order by u.created_at, u.id`,
  );
  for (const use of uses) await reverseCardUse(tx, ctx, use.id);
  return uses.length;
};

/** A customer's cards (owned and shared with her), with members and the log of uses. */
export const listCustomerCards = async (tx: Executor, ctx: Pick<Ctx, 'tenantId' | 'today'>, customerId: string): Promise<CustomerCardView[]> => {
  const memberOf = tx
    .select({ cardId: customerCardMembers.cardId })
    .from(customerCardMembers)
    .where(and(eq(customerCardMembers.tenantId, ctx.tenantId), eq(customerCardMembers.customerId, customerId), isNull(customerCardMembers.removedAt)));
  const cards = await tx
    .select()
    .from(customerCards)
    .where(and(eq(customerCards.tenantId, ctx.tenantId), or(eq(customerCards.customerId, customerId), inArray(customerCards.id, memberOf))))
    .orderBy(desc(customerCards.createdAt));
  if (cards.length === 0) return [];
  const ids = cards.map((card) => card.id);
  const members = await tx
    .select()
    .from(customerCardMembers)
    .where(and(eq(customerCardMembers.tenantId, ctx.tenantId), inArray(customerCardMembers.cardId, ids)))
    .orderBy(asc(customerCardMembers.addedAt));
  const uses = await tx
    .select()
    .from(customerCardUses)
    .where(and(eq(customerCardUses.tenantId, ctx.tenantId), inArray(customerCardUses.cardId, ids)))
    .orderBy(desc(customerCardUses.createdAt))
    .limit(500);
  const people = [...new Set([...cards.map((card) => card.customerId), ...members.map((row) => row.customerId), ...uses.map((row) => row.customerId)])];
  const names = new Map(
    (
      await tx
        .select({ id: customers.id, name: customers.name })
        .from(customers)
        .where(and(eq(customers.tenantId, ctx.tenantId), inArray(customers.id, people)))
    ).map((row) => [row.id, row.name]),
  );
  const countUses = (cardId: string, memberId: string) =>
    uses.filter((use) => use.cardId === cardId && use.customerId === memberId && !use.reversesId).length -
    uses.filter((use) => use.cardId === cardId && use.customerId === memberId && use.reversesId).length;
  return cards.map((card) => ({
    id: card.id,
    cardProductId: card.cardProductId,
    name: card.name,
    ownerId: card.customerId,
    ownerName: names.get(card.customerId) ?? '',
    isOwner: card.customerId === customerId,
    orderId: card.orderId,
    validFrom: card.validFrom,
    validTo: card.validTo,
    status: card.status as 'active' | 'cancelled',
    isValid: isCardValidOn(card, ctx.today),
    familyLimit: card.familyLimit,
    discountRules: card.discountRules,
    memberLimits: card.memberLimits,
    pendingVouchers: card.pendingVouchers as CustomerCardView['pendingVouchers'],
    members: members
      .filter((row) => row.cardId === card.id)
      .map((row) => ({
        id: row.id,
        customerId: row.customerId,
        name: names.get(row.customerId) ?? '',
        relation: row.relation,
        addedAt: row.addedAt.toISOString(),
        removedAt: row.removedAt?.toISOString() ?? null,
        uses: countUses(card.id, row.customerId),
      })),
    uses: uses
      .filter((use) => use.cardId === card.id)
      .map((use) => ({
        id: use.id,
        customerId: use.customerId,
        customerName: names.get(use.customerId) ?? '',
        orderId: use.orderId,
        orderLineId: use.orderLineId,
        benefit: use.benefit,
        amountFen: use.amountFen,
        reversesId: use.reversesId,
        createdAt: use.createdAt.toISOString(),
      })),
    createdAt: card.createdAt.toISOString(),
  }));
};
