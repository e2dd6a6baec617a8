import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineKinds } from '../catalog/line-kinds.js';
import { percentOffFen, priceOrder } from './pricing.js';
import type { PricingCard, PricingInput, PricingLine, PricingVoucher } from './schemas.js';

const categoryIds = ['filling', 'hygiene', 'photo'] as const;
const itemIds = ['resin', 'cleaning', 'laser', 'gel'] as const;

const rate = fc.integer({ min: 0, max: 10_000 });
const category = fc.constantFrom<string | null>(...categoryIds, null);

const lineArb = (id: string): fc.Arbitrary<PricingLine> =>
  fc
    .record({
      itemId: fc.constantFrom(...itemIds),
      kind: fc.constantFrom(...lineKinds),
      categoryId: category,
      unitPriceFen: fc.oneof(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 500_000 })),
      quantity: fc.integer({ min: 1, max: 5 }),
      manualPermille: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: undefined }),
    })
    .map(({ manualPermille, ...line }) => ({
      id,
      name: `品项${id}`,
      ...line,
      ...(manualPermille === undefined ? {} : { manualDiscountFen: Math.floor((line.unitPriceFen * line.quantity * manualPermille) / 1000) }),
    }));

const cardArb = (id: string): fc.Arbitrary<PricingCard> =>
  fc.record({
    id: fc.constant(id),
    name: fc.constant(`卡${id}`),
    holder: fc.constantFrom('owner' as const, 'family_member' as const),
    ownerCustomerId: fc.constant('owner'),
    validFrom: fc.constantFrom(null, '2025-01-01', '2025-07-01'),
    validTo: fc.constantFrom(null, '2025-05-31', '2025-12-31'),
    discountRules: fc.array(fc.record({ categoryId: category, kind: fc.option(fc.constantFrom(...lineKinds), { nil: null }), rateBp: rate }), { maxLength: 3 }),
    remaining: fc.record({
      discountFen: fc.option(fc.integer({ min: 0, max: 50_000 }), { nil: null }),
      units: fc.option(fc.integer({ min: 0, max: 6 }), { nil: null }),
    }),
  });

const scopeArb = fc.record({
  itemIds: fc.subarray([...itemIds], { maxLength: 2 }),
  categoryIds: fc.subarray([...categoryIds], { maxLength: 2 }),
});

const voucherArb = (id: string): fc.Arbitrary<PricingVoucher> => {
  const base = { id: fc.constant(id), name: fc.constant(`券${id}`), scope: scopeArb, isStackable: fc.boolean() };
  return fc.oneof(
    fc.record({
      ...base,
      kind: fc.constant('cash_off' as const),
      faceValueFen: fc.integer({ min: 1, max: 300_000 }),
      thresholdFen: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 600_000 })),
    }),
    fc.record({ ...base, kind: fc.constant('discount' as const), rateBp: rate, maxOffFen: fc.option(fc.integer({ min: 0, max: 50_000 }), { nil: null }) }),
    fc.record({ ...base, kind: fc.constant('item' as const), faceValueFen: fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: null }) }),
    fc.record({ ...base, kind: fc.constant('gift' as const) }),
  );
};

const idsArb = (prefix: string, max: number) =>
  fc.uniqueArray(fc.integer({ min: 0, max: 9 }), { maxLength: max }).map((numbers) => numbers.map((number) => `${prefix}${number}`));

const inputArb: fc.Arbitrary<PricingInput> = fc
  .record({
    lineIds: idsArb('l', 6).filter((ids) => ids.length > 0),
    cardIds: idsArb('c', 3),
    voucherIds: idsArb('v', 4),
  })
  .chain(({ lineIds, cardIds, voucherIds }) =>
    fc.record({
      at: fc.constantFrom('2025-03-01', '2025-06-15', '2025-08-01'),
      lines: fc.tuple(...lineIds.map(lineArb)),
      tier: fc.option(
        fc.record({
          id: fc.constant('tier'),
          name: fc.constantFrom('钻石', '铂金会员'),
          categoryDiscounts: fc.dictionary(fc.constantFrom(...categoryIds), rate, { maxKeys: 3 }),
        }),
        { nil: null },
      ),
      cards: cardIds.length > 0 ? fc.tuple(...cardIds.map(cardArb)) : fc.constant([]),
      vouchers: voucherIds.length > 0 ? fc.tuple(...voucherIds.map(voucherArb)) : fc.constant([]),
      points: fc.option(
        fc.record({
          requestedPoints: fc.integer({ min: 0, max: 2_000_000 }),
          pointsPerYuan: fc.constantFrom(1, 10, 50, 100, 300, 1000),
          minimumPoints: fc.constantFrom(0, 100, 1000),
          maxPercentOfOrder: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
          maxFen: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: null }),
          excludedKinds: fc.subarray([...lineKinds]),
          excludedCategoryIds: fc.subarray([...categoryIds]),
        }),
        { nil: null },
      ),
      storedValue: fc.option(
        fc.record({
          principalFen: fc.integer({ min: 0, max: 500_000 }),
          bonusFen: fc.integer({ min: 0, max: 200_000 }),
          spendOrder: fc.constantFrom('principal_first' as const, 'bonus_first' as const, 'proportional' as const),
        }),
        { nil: null },
      ),
      settings: fc.record({
        applicationOrder: fc.constantFrom('vouchers_then_discount' as const, 'discount_then_vouchers' as const),
        percentageBase: fc.constantFrom('current' as const, 'list' as const),
        tierWithCard: fc.constantFrom('best_of' as const, 'multiply' as const),
        vouchersWithDiscounts: fc.boolean(),
        pointsWithVouchers: fc.boolean(),
      }),
    }),
  );

const runs = { numRuns: 400 };

describe('checkout pricing properties', () => {
  it('is deterministic: the same input gives the same result, fen for fen', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        expect(priceOrder(structuredClone(input))).toEqual(priceOrder(input));
      }),
      runs,
    );
  });

  it('a family member on a card pays exactly what the owner pays', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const asOwner = priceOrder({ ...input, cards: input.cards.map((card) => ({ ...card, holder: 'owner' as const })) });
        const asFamily = priceOrder({ ...input, cards: input.cards.map((card) => ({ ...card, holder: 'family_member' as const })) });
        expect(asFamily.lines).toEqual(asOwner.lines);
        expect(asFamily.totals).toEqual(asOwner.totals);
        expect(asFamily.explanation).toEqual(asOwner.explanation);
      }),
      runs,
    );
  });

  it('lines sum to the total, nothing goes below zero, and payable is list minus every deduction', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const { lines, totals } = priceOrder(input);
        expect(lines.map((line) => line.lineId)).toEqual(input.lines.map((line) => line.id));
        for (const line of lines) {
          expect(line.listFen).toBe(line.unitPriceFen * line.quantity);
          expect(line.finalFen).toBeGreaterThanOrEqual(0);
          for (const deduction of line.deductions) expect(deduction.amountFen).toBeGreaterThan(0);
          expect(line.listFen - line.deductions.reduce((sum, deduction) => sum + deduction.amountFen, 0)).toBe(line.finalFen);
        }
        expect(lines.reduce((sum, line) => sum + line.finalFen, 0)).toBe(totals.payableFen);
        expect(totals.payableFen).toBeGreaterThanOrEqual(0);
        const byKinds = totals.manualFen + totals.tierDiscountFen + totals.cardDiscountFen + totals.voucherFen + totals.pointsFen;
        expect(byKinds).toBe(totals.deductionsFen);
        expect(totals.listFen - totals.deductionsFen).toBe(totals.payableFen);
      }),
      runs,
    );
  });

  it('no offer deducts more than it could', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const result = priceOrder(input);
        const inputLine = new Map(input.lines.map((line) => [line.id, line]));
        for (const line of result.lines) {
          const manual = line.deductions.filter((deduction) => deduction.kind === 'manual').reduce((sum, deduction) => sum + deduction.amountFen, 0);
          expect(manual).toBe(inputLine.get(line.lineId)?.manualDiscountFen ?? 0);
          for (const deduction of line.deductions) {
            // A percentage never takes more than its rate of the whole line.
            if (deduction.rateBp !== undefined) expect(deduction.amountFen).toBeLessThanOrEqual(percentOffFen(line.listFen, deduction.rateBp));
          }
          if (line.deductions.some((deduction) => deduction.kind === 'tier_discount')) expect(input.tier).not.toBeNull();
        }
        for (const applied of result.vouchers.applied) {
          const voucher = input.vouchers.find((candidate) => candidate.id === applied.voucherId);
          if (!voucher) throw new Error('unknown voucher applied');
          const onLines = result.lines.flatMap((line) => line.deductions.filter((deduction) => deduction.sourceId === voucher.id));
          expect(onLines.reduce((sum, deduction) => sum + deduction.amountFen, 0)).toBe(applied.amountFen);
          if (voucher.kind === 'cash_off') expect(applied.amountFen + applied.forfeitedFen).toBe(voucher.faceValueFen);
          if (voucher.kind === 'item' && voucher.faceValueFen !== null) expect(applied.amountFen).toBeLessThanOrEqual(voucher.faceValueFen);
          if (voucher.kind === 'discount' && voucher.maxOffFen !== null) expect(applied.amountFen).toBeLessThanOrEqual(voucher.maxOffFen);
        }
        const seen = [...result.vouchers.applied, ...result.vouchers.rejected].map((voucher) => voucher.voucherId).sort();
        expect(seen).toEqual(input.vouchers.map((voucher) => voucher.id).sort());
        for (const card of input.cards) {
          const used = result.lines.flatMap((line) =>
            line.deductions.filter((deduction) => deduction.kind === 'card_discount' && deduction.sourceId === card.id),
          );
          const usedFen = used.reduce((sum, deduction) => sum + deduction.amountFen, 0);
          if (card.remaining.discountFen !== null) expect(usedFen).toBeLessThanOrEqual(card.remaining.discountFen);
          if (usedFen > 0) expect(result.cards.rejected.map((rejected) => rejected.cardId)).not.toContain(card.id);
          const isValid = (card.validFrom === null || card.validFrom <= input.at) && (card.validTo === null || input.at <= card.validTo);
          if (!isValid) expect(usedFen).toBe(0);
        }
      }),
      runs,
    );
  });

  it('uses no more points than requested and allowed, in whole fen, only on eligible lines', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const result = priceOrder(input);
        const { points } = result;
        const beforePoints = result.totals.payableFen + result.totals.pointsFen;
        expect(points.valueFen).toBe(result.totals.pointsFen);
        if (!input.points) {
          expect(points.usedPoints).toBe(0);
          return;
        }
        expect(points.usedPoints).toBeLessThanOrEqual(input.points.requestedPoints);
        expect(points.usedPoints * 100).toBe(points.valueFen * input.points.pointsPerYuan);
        if (points.usedPoints > 0) expect(points.usedPoints).toBeGreaterThanOrEqual(input.points.minimumPoints);
        if (input.points.maxFen !== null) expect(points.valueFen).toBeLessThanOrEqual(input.points.maxFen);
        if (input.points.maxPercentOfOrder !== null) expect(points.valueFen * 100).toBeLessThanOrEqual(beforePoints * input.points.maxPercentOfOrder);
        const excluded = input.points;
        for (const line of result.lines) {
          const pointsShare = line.deductions.some((deduction) => deduction.kind === 'points');
          const isExcluded = excluded.excludedKinds.includes(line.kind) || (line.categoryId !== null && excluded.excludedCategoryIds.includes(line.categoryId));
          const hasVoucher = line.deductions.some((deduction) => deduction.kind === 'voucher');
          if (isExcluded || (hasVoucher && !input.settings.pointsWithVouchers)) expect(pointsShare).toBe(false);
        }
      }),
      runs,
    );
  });

  it('plans payment within the stored value offered and explains down to the payable', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const { payment, totals, explanation } = priceOrder(input);
        expect(payment.pointsFen).toBe(totals.pointsFen);
        const stored = payment.storedValue;
        if (input.storedValue && stored) {
          expect(stored.principalFen).toBeLessThanOrEqual(input.storedValue.principalFen);
          expect(stored.bonusFen).toBeLessThanOrEqual(input.storedValue.bonusFen);
          expect(stored.principalFen).toBeGreaterThanOrEqual(0);
          expect(stored.bonusFen).toBeGreaterThanOrEqual(0);
          expect(stored.totalFen + payment.dueFen).toBe(totals.payableFen);
        } else {
          expect(payment.dueFen).toBe(totals.payableFen);
        }
        expect(payment.dueFen).toBeGreaterThanOrEqual(0);
        expect(explanation[0]).toMatchObject({ kind: 'list', amountFen: totals.listFen });
        const payable = explanation.find((step) => step.kind === 'payable');
        expect(payable?.amountFen).toBe(totals.payableFen);
        const reductions = explanation.filter((step) => !['list', 'payable', 'stored_value', 'due'].includes(step.kind));
        expect(totals.listFen - reductions.reduce((sum, step) => sum + step.amountFen, 0)).toBe(totals.payableFen);
        for (let index = 1; index < explanation.length; index++) {
          expect(explanation[index]?.subtotalFen).toBeLessThanOrEqual(explanation[index - 1]?.subtotalFen ?? 0);
        }
      }),
      runs,
    );
  });
});
