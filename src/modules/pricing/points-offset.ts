/** 积分抵现: how many of the requested points the order may use, and their split over the eligible lines. */
import { assertNever } from '../../platform/errors.js';
import { allocate, formatYuan } from '../../platform/money.js';
import { lineKindLabels, orderStep } from './explain.js';
import type { PointsLimit, PointsOutcome } from './result.js';
import { deduct, type Prepared, type Run, sum } from './state.js';

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

const pointsLimitMessage = (limit: PointsLimit, options: { capFen: number; percent: number | null; pointsPerYuan: number; minimumPoints: number }): string => {
  switch (limit) {
    case 'request':
      return '';
    case 'whole_fen':
      return `每 ¥1 为 ${options.pointsPerYuan} 积分，积分按整分抵扣`;
    case 'eligible_lines':
      return `可用积分抵扣的品项金额为 ${formatYuan(options.capFen)}（部分品项或已用券的品项不参与积分抵现）`;
    case 'percent_cap':
      return `积分抵现最多为本单金额的 ${options.percent}%，即 ${formatYuan(options.capFen)}`;
    case 'amount_cap':
      return `本单积分最多抵 ${formatYuan(options.capFen)}`;
    case 'below_minimum':
      return `积分抵现至少使用 ${options.minimumPoints} 积分`;
    default:
      return assertNever(limit);
  }
};

export const applyPoints = (run: Run, prepared: Prepared): PointsOutcome => {
  const { points } = prepared.input;
  if (!points || points.requestedPoints === 0)
    return { requestedPoints: points?.requestedPoints ?? 0, usedPoints: 0, valueFen: 0, limitedBy: null, message: '' };
  const eligible = run.states.filter(
    (state) =>
      state.currentFen > 0 &&
      !points.excludedKinds.includes(state.line.kind) &&
      !(state.line.categoryId !== null && points.excludedCategoryIds.includes(state.line.categoryId)) &&
      (prepared.settings.pointsWithVouchers || !state.hasVoucher),
  );
  const eligibleFen = sum(eligible.map((state) => state.currentFen));
  const orderFen = sum(run.states.map((state) => state.currentFen));
  const percentCapFen = points.maxPercentOfOrder === null ? Number.POSITIVE_INFINITY : Math.floor((orderFen * points.maxPercentOfOrder) / 100);
  const amountCapFen = points.maxFen ?? Number.POSITIVE_INFINITY;
  const limits: [PointsLimit, number][] = [
    ['eligible_lines', eligibleFen],
    ['percent_cap', percentCapFen],
    ['amount_cap', amountCapFen],
  ];
  const [capLimit, capFen] = limits.reduce((tightest, limit) => (limit[1] < tightest[1] ? limit : tightest));
  // Points pay only whole fen: blocks of unitPoints points are worth unitFen fen exactly.
  const divisor = gcd(100, points.pointsPerYuan);
  const unitFen = 100 / divisor;
  const unitPoints = points.pointsPerYuan / divisor;
  const requestedUnits = Math.floor(points.requestedPoints / unitPoints);
  const capUnits = Math.floor(capFen / unitFen);
  const units = Math.min(requestedUnits, capUnits);
  let usedPoints = units * unitPoints;
  let valueFen = units * unitFen;
  let limitedBy: PointsLimit = requestedUnits <= capUnits ? (usedPoints === points.requestedPoints ? 'request' : 'whole_fen') : capLimit;
  if (usedPoints > 0 && usedPoints < points.minimumPoints) {
    usedPoints = 0;
    valueFen = 0;
    limitedBy = 'below_minimum';
  }
  const why = pointsLimitMessage(limitedBy, {
    capFen: limitedBy === 'eligible_lines' ? eligibleFen : capFen,
    percent: points.maxPercentOfOrder,
    pointsPerYuan: points.pointsPerYuan,
    minimumPoints: points.minimumPoints,
  });
  const excludedNote =
    eligible.length === 0
      ? `本单品项均不能用积分抵现${points.excludedKinds.length > 0 ? `（${points.excludedKinds.map((kind) => lineKindLabels[kind]).join('、')}不参与积分抵现）` : ''}`
      : why;
  const message =
    valueFen > 0
      ? `使用 ${usedPoints} 积分，抵 ${formatYuan(valueFen)}${usedPoints < points.requestedPoints ? `（申请 ${points.requestedPoints} 积分；${why}）` : ''}`
      : `本单未使用积分：${excludedNote}`;
  if (valueFen > 0) {
    const shares = allocate(
      valueFen,
      eligible.map((state) => state.currentFen),
    );
    eligible.forEach((state, index) => {
      deduct(state, { kind: 'points', label: '积分抵现', amountFen: shares[index] ?? 0, sourceId: null });
    });
    run.subtotalFen -= valueFen;
    run.steps.push(orderStep('points', { label: `使用 ${usedPoints} 积分`, amountFen: valueFen, subtotalFen: run.subtotalFen }));
  }
  return { requestedPoints: points.requestedPoints, usedPoints, valueFen, limitedBy, message };
};
