import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { writeAudit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { itemCategories, items } from '../catalog/index.js';
import { assertCustomerWording } from '../membership/index.js';
import type { Validity, VoucherKind, VoucherSnapshot, VoucherTemplate, VoucherTemplateInput, VoucherTemplatePatch } from './schemas.js';
import { voucherTemplates } from './tables.js';
import { scopeLabelOfNames, type ValidityLabel, voucherTitle } from './title.js';

export type VoucherTemplateRow = typeof voucherTemplates.$inferSelect;
type Scope = { itemIds: string[]; categoryIds: string[] };

/**
 * The scope as the customer reads it, from the catalogue: every named item and category must be
 * this tenant's (another tenant's id is simply not found: 400 with the path).
 */
export const scopeLabelOf = async (tx: Executor, tenantId: string, scope: Scope): Promise<string> => {
  const [itemRows, categoryRows] = [
    scope.itemIds.length > 0
      ? await tx
          .select({ id: items.id, name: items.name, kind: items.kind })
          .from(items)
          .where(and(eq(items.tenantId, tenantId), inArray(items.id, scope.itemIds)))
      : [],
    scope.categoryIds.length > 0
      ? await tx
          .select({ id: itemCategories.id, name: itemCategories.name })
          .from(itemCategories)
          .where(and(eq(itemCategories.tenantId, tenantId), inArray(itemCategories.id, scope.categoryIds)))
      : [],
  ];
  const problems = [
    ...scope.itemIds.flatMap((id, index) => {
      const item = itemRows.find((row) => row.id === id);
      if (!item) return [{ path: `body.scope.itemIds.${index}`, message: '品项不存在' }];
      return item.kind === 'card' ? [{ path: `body.scope.itemIds.${index}`, message: '卡项不能用券' }] : [];
    }),
    ...scope.categoryIds.flatMap((id, index) =>
      categoryRows.some((row) => row.id === id) ? [] : [{ path: `body.scope.categoryIds.${index}`, message: '品类不存在' }],
    ),
  ];
  if (problems.length > 0) throw new DomainError('invalid', 'VOUCHER_SCOPE_INVALID', '适用范围中有不存在的品项或品类', problems);
  return scopeLabelOfNames(
    scope.itemIds.map((id) => itemRows.find((row) => row.id === id)?.name ?? ''),
    scope.categoryIds.map((id) => categoryRows.find((row) => row.id === id)?.name ?? ''),
  );
};

const validityOf = (row: VoucherTemplateRow): Validity =>
  row.validityKind === 'fixed' ? { kind: 'fixed', from: row.validFrom ?? '', to: row.validTo ?? '' } : { kind: 'relative', days: row.validDays ?? 1 };

const titleFieldsOf = (row: VoucherTemplateRow) => ({
  name: row.name,
  kind: row.kind as VoucherKind,
  faceValueFen: row.faceValueFen,
  thresholdFen: row.thresholdFen,
  discountBasisPoints: row.discountBasisPoints,
  maxOffFen: row.maxOffFen,
});

type StoredScope = Scope & { label: string };

export const toTemplateView = (row: VoucherTemplateRow): VoucherTemplate => {
  const scope = row.scope as StoredScope;
  const validity = validityOf(row);
  return {
    id: row.id,
    ...titleFieldsOf(row),
    title: voucherTitle(titleFieldsOf(row), scope.label, validity),
    scope: { itemIds: scope.itemIds, categoryIds: scope.categoryIds },
    scopeLabel: scope.label,
    channels: row.channels as VoucherTemplate['channels'],
    validity,
    totalStock: row.totalStock,
    issuedCount: row.issuedCount,
    stockLeft: row.totalStock === null ? null : Math.max(0, row.totalStock - row.issuedCount),
    perCustomerLimit: row.perCustomerLimit,
    isStackable: row.isStackable,
    description: row.description,
    isActive: row.isActive,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
};

/** The voucher as a customer receives it on `receivedOn`: its dates fixed, its title with them. */
export const snapshotOf = (row: VoucherTemplateRow, dates: { validFrom: string; validTo: string }): VoucherSnapshot => {
  const scope = row.scope as StoredScope;
  const issued: ValidityLabel = { kind: 'issued', to: dates.validTo };
  return {
    ...titleFieldsOf(row),
    title: voucherTitle(titleFieldsOf(row), scope.label, issued),
    scope: { itemIds: scope.itemIds, categoryIds: scope.categoryIds },
    scopeLabel: scope.label,
    channels: row.channels as VoucherSnapshot['channels'],
    isStackable: row.isStackable,
    description: row.description,
  };
};

const columnsOf = (input: VoucherTemplateInput, label: string) => ({
  name: input.name,
  kind: input.kind,
  faceValueFen: input.kind === 'cash_off' || input.kind === 'item' ? (input.faceValueFen ?? null) : null,
  thresholdFen: input.kind === 'cash_off' ? (input.thresholdFen ?? 0) : 0,
  discountBasisPoints: input.kind === 'discount' ? (input.discountBasisPoints ?? null) : null,
  maxOffFen: input.kind === 'discount' ? (input.maxOffFen ?? null) : null,
  scope: { ...input.scope, label },
  channels: input.channels,
  validityKind: input.validity.kind,
  validFrom: input.validity.kind === 'fixed' ? input.validity.from : null,
  validTo: input.validity.kind === 'fixed' ? input.validity.to : null,
  validDays: input.validity.kind === 'relative' ? input.validity.days : null,
  totalStock: input.totalStock,
  perCustomerLimit: input.perCustomerLimit,
  isStackable: input.isStackable,
  description: input.description ?? null,
});

export const createVoucherTemplate = async (tx: Executor, ctx: Ctx, input: VoucherTemplateInput): Promise<VoucherTemplate> => {
  assertCustomerWording({ 'body.name': input.name, 'body.description': input.description });
  const label = await scopeLabelOf(tx, ctx.tenantId, input.scope);
  const row = {
    tenantId: ctx.tenantId,
    id: newId(),
    ...columnsOf(input, label),
    issuedCount: 0,
    isActive: true,
    createdBy: ctx.actor.id,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  await tx.insert(voucherTemplates).values(row);
  await writeAudit(tx, ctx.actor, { action: 'voucher_template.create', entityType: 'voucher_template', entityId: row.id, after: row });
  return toTemplateView(row);
};

export const getVoucherTemplateRow = async (tx: Executor, tenantId: string, id: string, options: { forUpdate?: boolean } = {}) => {
  const query = tx
    .select()
    .from(voucherTemplates)
    .where(and(eq(voucherTemplates.tenantId, tenantId), eq(voucherTemplates.id, id)));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  if (!row) throw notFound('券模板', 'VOUCHER_TEMPLATE_NOT_FOUND');
  return row;
};

export const getVoucherTemplate = async (tx: Executor, tenantId: string, id: string) => toTemplateView(await getVoucherTemplateRow(tx, tenantId, id));

export const listVoucherTemplates = async (tx: Executor, tenantId: string, options: { includeInactive?: boolean } = {}) => {
  const rows = await tx
    .select()
    .from(voucherTemplates)
    .where(and(eq(voucherTemplates.tenantId, tenantId), options.includeInactive ? undefined : eq(voucherTemplates.isActive, true)))
    .orderBy(desc(voucherTemplates.createdAt));
  return rows.map(toTemplateView);
};

/** Edits reach vouchers issued from now on; the stock may not go below what was already issued. */
export const updateVoucherTemplate = async (tx: Executor, ctx: Ctx, id: string, patch: VoucherTemplatePatch): Promise<VoucherTemplate> => {
  assertCustomerWording({ 'body.name': patch.name, 'body.description': patch.description });
  const before = await getVoucherTemplateRow(tx, ctx.tenantId, id, { forUpdate: true });
  const current = toTemplateView(before);
  const merged = {
    name: patch.name ?? current.name,
    kind: patch.kind ?? current.kind,
    faceValueFen: patch.faceValueFen !== undefined ? patch.faceValueFen : current.faceValueFen,
    thresholdFen: patch.thresholdFen ?? current.thresholdFen,
    discountBasisPoints: patch.discountBasisPoints !== undefined ? patch.discountBasisPoints : current.discountBasisPoints,
    maxOffFen: patch.maxOffFen !== undefined ? patch.maxOffFen : current.maxOffFen,
    scope: patch.scope ?? current.scope,
    channels: patch.channels ?? current.channels,
    validity: patch.validity ?? current.validity,
    totalStock: patch.totalStock !== undefined ? patch.totalStock : current.totalStock,
    perCustomerLimit: patch.perCustomerLimit ?? current.perCustomerLimit,
    isStackable: patch.isStackable ?? current.isStackable,
    description: patch.description !== undefined ? patch.description : current.description,
  };
  if (merged.kind !== current.kind && before.issuedCount > 0) {
    throw new DomainError('rule', 'VOUCHER_KIND_LOCKED', '已发放的券不能更改类型，请新建券模板', [{ path: 'body.kind', message: '已发放，不能更改类型' }]);
  }
  if (merged.totalStock !== null && merged.totalStock < before.issuedCount) {
    throw new DomainError('rule', 'VOUCHER_STOCK_BELOW_ISSUED', `已发放 ${before.issuedCount} 张，总量不能少于已发放数量`, [
      { path: 'body.totalStock', message: `不能少于 ${before.issuedCount}` },
    ]);
  }
  const problems: { path: string; message: string }[] = [];
  if (merged.kind === 'cash_off' && !merged.faceValueFen) problems.push({ path: 'body.faceValueFen', message: '代金券须填写面值' });
  if (merged.kind === 'discount' && !merged.discountBasisPoints) problems.push({ path: 'body.discountBasisPoints', message: '折扣券须填写折扣' });
  if ((merged.kind === 'item' || merged.kind === 'gift') && merged.scope.itemIds.length === 0) {
    problems.push({ path: 'body.scope.itemIds', message: '须选择适用项目' });
  }
  if (merged.validity.kind === 'fixed' && merged.validity.to < merged.validity.from)
    problems.push({ path: 'body.validity.to', message: '结束日期不能早于开始日期' });
  if (problems.length > 0) throw new DomainError('invalid', 'VOUCHER_TEMPLATE_INVALID', problems[0]?.message ?? '券模板有误', problems);
  const label = patch.scope ? await scopeLabelOf(tx, ctx.tenantId, merged.scope) : current.scopeLabel;
  const changes = { ...columnsOf(merged, label), isActive: patch.isActive ?? before.isActive, updatedAt: ctx.now };
  await tx
    .update(voucherTemplates)
    .set(changes)
    .where(and(eq(voucherTemplates.tenantId, ctx.tenantId), eq(voucherTemplates.id, id)));
  await writeAudit(tx, ctx.actor, { action: 'voucher_template.update', entityType: 'voucher_template', entityId: id, before, after: changes });
  return toTemplateView({ ...before, ...changes });
};
