import { and, eq, inArray, isNotNull, like, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { getCustomerRow } from '../customers/index.js';
import { getTenant } from '../tenants/index.js';
import type { ClaimOffer } from './distribution-schemas.js';
import { countClaim, type DistributionRow } from './distributions.js';
import { type CustomerVoucherRow, datesFor, issueVoucher } from './issue.js';
import type { VoucherKind } from './schemas.js';
import { customerVouchers, voucherDistributions, voucherTemplates } from './tables.js';
import { toTemplateView, type VoucherTemplateRow } from './templates.js';
import { validityLabel } from './title.js';

const unknownLink = () => new DomainError('not_found', 'CLAIM_NOT_FOUND', '领券链接不存在或已失效');

type Offer = { distribution: DistributionRow; template: VoucherTemplateRow };

export const findOfferByCode = async (tx: Executor, tenantId: string, code: string): Promise<Offer> => {
  const [row] = await tx
    .select({ distribution: voucherDistributions, template: voucherTemplates })
    .from(voucherDistributions)
    .innerJoin(voucherTemplates, and(eq(voucherTemplates.tenantId, voucherDistributions.tenantId), eq(voucherTemplates.id, voucherDistributions.templateId)))
    .where(and(eq(voucherDistributions.tenantId, tenantId), eq(voucherDistributions.claimCode, code), eq(voucherDistributions.kind, 'claim_link')));
  if (!row) throw unknownLink();
  return row;
};

/** Her vouchers of a template that count toward its per-customer limit. */
const heldOf = async (tx: Executor, tenantId: string, customerId: string, templateIds: string[]) => {
  if (templateIds.length === 0) return new Map<string, number>();
  const rows = await tx
    .select({ templateId: customerVouchers.templateId, held: sql<number>`count(*)::int` })
    .from(customerVouchers)
    .where(
      and(
        eq(customerVouchers.tenantId, tenantId),
        eq(customerVouchers.customerId, customerId),
        inArray(customerVouchers.templateId, templateIds),
        isNotNull(customerVouchers.useNo),
      ),
    )
    .groupBy(customerVouchers.templateId);
  return new Map(rows.map((row) => [row.templateId ?? '', Number(row.held)]));
};

const stateOf = (offer: Offer, today: string, held: number | null): ClaimOffer['state'] => {
  const { distribution, template } = offer;
  if (distribution.status !== 'active' || !template.isActive || !datesFor(template, today)) return 'ended';
  if (template.totalStock !== null && template.totalStock - template.issuedCount < distribution.quantity) return 'out_of_stock';
  if (held !== null && held + distribution.quantity > template.perCustomerLimit) return 'limit_reached';
  return 'available';
};

const toOffer = (offer: Offer, today: string, held: number | null, clinicName: string): ClaimOffer => {
  const view = toTemplateView(offer.template);
  return {
    code: offer.distribution.claimCode ?? '',
    name: view.name,
    title: view.title,
    kind: view.kind as VoucherKind,
    faceValueFen: view.faceValueFen,
    thresholdFen: view.thresholdFen,
    discountBasisPoints: view.discountBasisPoints,
    scopeLabel: view.scopeLabel,
    validityLabel: validityLabel(view.validity),
    description: view.description,
    stockLeft: view.stockLeft,
    perCustomerLimit: view.perCustomerLimit,
    state: stateOf(offer, today, held),
    held,
    clinicName,
  };
};

/** 领券页: the offer behind a code, and whether the signed-in customer (if any) can still claim it. */
export const claimOffer = async (tx: Executor, input: { tenantId: string; today: string; code: string; customerId: string | null }): Promise<ClaimOffer> => {
  const offer = await findOfferByCode(tx, input.tenantId, input.code);
  const held = input.customerId ? ((await heldOf(tx, input.tenantId, input.customerId, [offer.template.id])).get(offer.template.id) ?? 0) : null;
  return toOffer(offer, input.today, held, (await getTenant(tx, input.tenantId)).name);
};

/** 领券中心: the clinic's open claim links with stock left, for the signed-in customer. */
export const listClaimableOffers = async (tx: Executor, input: { tenantId: string; today: string; customerId: string }): Promise<ClaimOffer[]> => {
  const rows = await tx
    .select({ distribution: voucherDistributions, template: voucherTemplates })
    .from(voucherDistributions)
    .innerJoin(voucherTemplates, and(eq(voucherTemplates.tenantId, voucherDistributions.tenantId), eq(voucherTemplates.id, voucherDistributions.templateId)))
    .where(
      and(
        eq(voucherDistributions.tenantId, input.tenantId),
        eq(voucherDistributions.kind, 'claim_link'),
        eq(voucherDistributions.status, 'active'),
        eq(voucherTemplates.isActive, true),
        sql`(${voucherTemplates.totalStock} is null or ${voucherTemplates.issuedCount} < ${voucherTemplates.totalStock})`,
      ),
    )
    .orderBy(voucherDistributions.createdAt, voucherDistributions.id);
  const held = await heldOf(
    tx,
    input.tenantId,
    input.customerId,
    rows.map((row) => row.template.id),
  );
  const clinicName = (await getTenant(tx, input.tenantId)).name;
  return rows
    .map((row) => toOffer(row, input.today, held.get(row.template.id) ?? 0, clinicName))
    .filter((offer) => offer.state === 'available' || offer.state === 'limit_reached');
};

/**
 * 立即领取: the customer's n-th claim of this link, issued under key `dist:<id>:<customerId>:<n>`
 * within the stock and her per-customer limit. Her row is locked first, so her own concurrent
 * claims count one after the other; the stock is a conditional update, so concurrent claims by
 * different customers never take more than there is (COMPLIANCE I8).
 */
export const claimByCode = async (tx: Executor, ctx: Ctx, input: { code: string; customerId: string }): Promise<CustomerVoucherRow[]> => {
  await getCustomerRow(tx, ctx.tenantId, input.customerId, { forUpdate: true });
  const { distribution } = await findOfferByCode(tx, ctx.tenantId, input.code);
  if (distribution.status !== 'active') throw new DomainError('rule', 'CLAIM_CLOSED', '该领券活动已结束');
  const prefix = `dist:${distribution.id}:${input.customerId}:`;
  const [claims] = await tx
    .select({ count: sql<number>`count(*)::int` })
    .from(customerVouchers)
    .where(and(eq(customerVouchers.tenantId, ctx.tenantId), like(customerVouchers.issueKey, `${prefix}%`)));
  const claimNo = Math.floor(Number(claims?.count ?? 0) / distribution.quantity) + 1;
  const options = {
    templateId: distribution.templateId,
    customerId: input.customerId,
    source: 'claim' as const,
    distributionId: distribution.id,
    issueKey: `${prefix}${claimNo}`,
    quantity: distribution.quantity,
  };
  const outcome = await issueVoucher(tx, ctx, options);
  if (outcome.status === 'skipped') {
    // A refusal is hers to read (409 when the stock ran out, 422 past her limit), not a count on the distribution.
    throw new DomainError(outcome.reason === 'out_of_stock' ? 'conflict' : 'rule', `VOUCHER_${outcome.reason.toUpperCase()}`, outcome.message);
  }
  await countClaim(tx, ctx, distribution.id, outcome);
  return outcome.vouchers;
};
