/** 成交配置: which orders count as a deal. An order is a deal only if it meets all of them. */
import { type LineKind, lineKinds } from '../catalog/index.js';
import { type DealStatus, dealStatuses, dealStatusOf } from '../customers/index.js';

export { type DealStatus, dealStatuses, dealStatusOf, type LineKind, lineKinds };

export type DealRules = {
  /** Order types that count (e.g. 医美). Empty means every type counts. */
  orderTypes: string[];
  /** Minimum order amount in fen; an order must reach it (≥). */
  minimumFen: number;
  /** Line kinds whose amounts count towards the deal. */
  countedKinds: Record<LineKind, boolean>;
};

export const defaultDealRules: DealRules = {
  orderTypes: [],
  minimumFen: 0,
  countedKinds: { service: true, goods: true, drug: true, package: true, card: true },
};

export type DealDecision = { isDeal: boolean; countedFen: number; reasons: string[] };

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

/**
 * Decides whether a placed order is a deal under the rules in force now. The decision is
 * stored on the order, so later rule changes never change it (SPEC §5).
 */
export const decideDeal = (order: { orderType: string; lines: { kind: LineKind; amountFen: number }[] }, rules: DealRules): DealDecision => {
  const reasons: string[] = [];
  const typeCounts = rules.orderTypes.length === 0 || rules.orderTypes.includes(order.orderType);
  if (!typeCounts) reasons.push(`订单类型「${order.orderType}」不计入成交（计入：${rules.orderTypes.join('、')}）`);
  const countedLines = order.lines.filter((line) => rules.countedKinds[line.kind]);
  const countedFen = countedLines.reduce((sum, line) => sum + line.amountFen, 0);
  if (countedLines.length === 0) reasons.push('订单中没有计入成交的品项类别');
  const meetsMinimum = countedFen >= rules.minimumFen && countedFen > 0;
  if (countedLines.length > 0 && !meetsMinimum) {
    reasons.push(rules.minimumFen > 0 ? `成交金额 ${yuan(countedFen)} 未达到最低成交限额 ${yuan(rules.minimumFen)}` : '成交金额为 0');
  }
  const isDeal = typeCounts && countedLines.length > 0 && meetsMinimum;
  if (isDeal) reasons.push(`满足成交条件：成交金额 ${yuan(countedFen)}`);
  return { isDeal, countedFen, reasons };
};
