import { describe, expect, it } from 'vitest';
import { decideTier, type TierRule } from '../src/modules/membership/rules.js';
import { decideDeal } from '../src/modules/orders/deal-rules.js';
import { type EarningRules, earnForPayments } from '../src/modules/points/rules.js';
import { priceOrder } from '../src/modules/pricing/pricing.js';
import {
  defaultPricingSettings,
  type PricingCard,
  type PricingInput,
  type PricingLine,
  type PricingPoints,
  type PricingVoucher,
} from '../src/modules/pricing/schemas.js';
import { orderInput, pointsInput } from '../src/modules/pricing/test-inputs.js';
import { partnerStandingOf } from '../src/modules/referrals/partner-levels.js';
import { referrerLockedSentence, referrerRewardedSentence } from '../src/modules/referrals/record-referral.js';
import { proposeVisitType } from '../src/modules/visits/visit-type.js';
import { scopeLabelOfNames, type ValidityLabel, voucherTitle, wholeOrderLabel } from '../src/modules/vouchers/title.js';
import { englishOf, pricingTexts, serverTexts, voucherTexts } from '../web/console/common/server-text-rules.js';

const noChinese = (text: string) => !/[\u4e00-\u9fff]/.test(text);
/** Clinic data (item, voucher, card and tier names) stays as the clinic typed it. */
const withoutNames = (text: string, names: readonly string[]) => names.reduce((rest, name) => rest.replaceAll(name, ''), text);

describe('server-composed texts in English', () => {
  it('reads every visit-type reason the server writes', () => {
    const base = { hasEarlierVisits: false, firstVisitTypeToday: null, dealCount: 0, hasActiveCourse: false, daysSinceLastTreatment: null };
    const histories = [
      base,
      { ...base, hasEarlierVisits: true },
      { ...base, dealCount: 1, hasActiveCourse: true },
      { ...base, dealCount: 1, daysSinceLastTreatment: 3 },
      { ...base, dealCount: 1 },
      { ...base, firstVisitTypeToday: 'recheck' as const },
    ];
    const english = histories.map((history) =>
      englishOf(serverTexts.visitReasons, proposeVisitType(history, { recheckWindowDays: 30 }).reason, () => 'Re-check'),
    );
    expect(english).toEqual([
      'First visit',
      'Visited before, no deal yet',
      'Has a course with sessions left',
      'Treated 3 days ago, within the 30-day re-check window',
      'Dealt before, no course running',
      "Several visits today: the day's first visit (Re-check) decides",
    ]);
  });

  it('reads every deal reason the server writes, figures kept', () => {
    const rules = { orderTypes: ['医美', '口腔'], minimumFen: 10_000, countedKinds: { service: true, goods: false, drug: false, package: true, card: false } };
    const service = { kind: 'service' as const, amountFen: 128_000 };
    const decisions = [
      decideDeal({ orderType: '零售', lines: [service] }, rules),
      decideDeal({ orderType: '医美', lines: [{ kind: 'goods' as const, amountFen: 5_000 }] }, rules),
      decideDeal({ orderType: '医美', lines: [{ kind: 'service' as const, amountFen: 5_000 }] }, rules),
      decideDeal({ orderType: '医美', lines: [service] }, rules),
      decideDeal({ orderType: '医美', lines: [{ kind: 'service' as const, amountFen: 0 }] }, { ...rules, minimumFen: 0 }),
    ];
    const reasons = decisions.flatMap((decision) => decision.reasons);
    expect(reasons.length).toBeGreaterThanOrEqual(5);
    for (const reason of reasons) expect(noChinese(englishOf(serverTexts.dealReasons, reason).replace(/"[^"]*"|\(counted: [^)]*\)/g, '')), reason).toBe(true);
    expect(englishOf(serverTexts.dealReasons, '成交金额 ¥50.00 未达到最低成交限额 ¥100.00')).toBe('Deal amount ¥50.00 is below the minimum of ¥100.00');
  });

  it('shows a sentence it does not know as stored', () => {
    expect(englishOf(serverTexts.visitReasons, '旧的说法')).toBe('旧的说法');
  });
});

describe('voucher titles, points, tiers and referrals in English', () => {
  const read = (rules: keyof typeof serverTexts, text: string) => englishOf(serverTexts[rules], text);

  it('reads every voucher title the server composes: each kind, scope and validity', () => {
    const base = { faceValueFen: null, thresholdFen: 0, discountBasisPoints: null, maxOffFen: null };
    const kinds = [
      { ...base, name: '新客礼代金券', kind: 'cash_off' as const, faceValueFen: 5_000, thresholdFen: 20_000 },
      { ...base, name: '代金券', kind: 'cash_off' as const, faceValueFen: 30_000 },
      { ...base, name: '会员日折扣券', kind: 'discount' as const, discountBasisPoints: 1_500, maxOffFen: 20_000 },
      { ...base, name: '折扣券', kind: 'discount' as const, discountBasisPoints: 1_000 },
      { ...base, name: '水光体验券', kind: 'item' as const, faceValueFen: 68_000 },
      { ...base, name: '小气泡清洁体验券', kind: 'item' as const },
      { ...base, name: '面膜', kind: 'gift' as const },
    ];
    const scopes = [wholeOrderLabel, scopeLabelOfNames(['水光针'], ['皮肤管理']), scopeLabelOfNames(['水光针', '热玛吉', '光子嫩肤', '小气泡清洁'], [])];
    const validities: ValidityLabel[] = [
      { kind: 'fixed', from: '2026-12-01', to: '2027-01-31' },
      { kind: 'relative', days: 30 },
      { kind: 'issued', to: '2027-01-02' },
    ];
    const names = [...kinds.map((kind) => kind.name), '水光针', '皮肤管理', '热玛吉', '光子嫩肤', '小气泡清洁'];
    for (const fields of kinds)
      for (const scope of scopes)
        for (const validity of validities) {
          const title = voucherTitle(fields, scope, validity);
          expect(noChinese(withoutNames(voucherTexts.title(title), names)), `${title} → ${voucherTexts.title(title)}`).toBe(true);
        }
    expect(voucherTexts.title(voucherTitle(kinds[0] as (typeof kinds)[0], wholeOrderLabel, { kind: 'relative', days: 30 }))).toBe(
      '¥50 新客礼代金券 (on spending ¥200) · All items except cards · Valid for 30 days after receipt',
    );
    expect(voucherTexts.title(voucherTitle(kinds[2] as (typeof kinds)[0], scopes[1] as string, { kind: 'issued', to: '2027-01-02' }))).toBe(
      '15% off 会员日折扣券 (at most ¥200 off) · Only 水光针, 皮肤管理 (category) · Valid until 2027-01-02',
    );
    expect(voucherTexts.scope(scopes[2] as string)).toBe('水光针, 热玛吉, 光子嫩肤 and more (4 in all)');
  });

  it('reads every points explanation line, with each kind of multiplier', () => {
    const rules: EarningRules = {
      pointsPerYuan: { wechat: 1 },
      tierBasisPoints: { gold: 15_000 },
      memberDay: { dayOfMonth: 8, basisPoints: 20_000 },
      holidayBasisPoints: 30_000,
      weekdayBasisPoints: { '2': 12_000 },
      campaigns: [{ name: '双十二', from: '2026-12-01', to: '2026-12-31', basisPoints: 11_000 }],
      itemMultipliers: [],
      stacking: 'multiply',
    };
    const line = { lineId: 'l1', itemId: 'i1', categoryId: null, name: '水光针', unitPriceFen: 68_000, amountFen: 68_000 };
    const input = { date: '2026-12-08', isHoliday: true, tierId: 'gold', tierName: '金卡', payments: [{ method: 'wechat', amountFen: 68_000 }], lines: [line] };
    const [reason] = earnForPayments(input, rules).reasons;
    expect(read('pointsReasons', reason ?? '')).toBe(
      '水光针: base 680 × tier (金卡) 1.5 × member day 2 × public holiday 3 × Tuesday 1.2 × 双十二 1.1 = 8078 points',
    );
    const [clinicHoliday] = earnForPayments({ ...input, clinicHolidayName: '妇女节' }, rules).reasons;
    expect(read('pointsReasons', clinicHoliday ?? '')).toContain('× holiday (妇女节) 3');
    expect(read('pointsReasons', earnForPayments({ ...input, payments: [] }, rules).reasons[0] ?? '')).toBe('This payment earns no points');
  });

  it('reads every tier decision reason', () => {
    const criteria = { match: 'any' as const, growth: null, consumptionFen: null, visits: null, topUpFen: null };
    const tiers: TierRule[] = [
      { id: 'member', name: '普通会员', rank: 1, criteria, retention: 're_evaluate' },
      { id: 'silver', name: '银卡', rank: 2, criteria: { ...criteria, consumptionFen: 300_000, topUpFen: 298_000 }, retention: 'down_one' },
      { id: 'gold', name: '金卡', rank: 3, criteria: { ...criteria, match: 'all', growth: 4_000, visits: 5 }, retention: 'never_down' },
    ];
    const figures = { windowMonths: 12, from: '2025-12-08', to: '2026-12-07', growth: 6_800, consumptionFen: 120_000, visits: 2, largestTopUpFen: 0 };
    const reasons = [
      ...decideTier({ tiers, figures, current: null, trigger: 'gain' }).reasons,
      ...decideTier({ tiers, figures: { ...figures, growth: 0 }, current: { tierId: 'gold', floorTierId: 'silver' }, trigger: 'loss' }).reasons,
      ...decideTier({ tiers, figures: { ...figures, visits: 9 }, current: { tierId: 'gold', floorTierId: null }, trigger: 'period_end' }).reasons,
      ...decideTier({ tiers, figures, current: { tierId: 'silver', floorTierId: null }, trigger: 'period_end' }).reasons,
      ...decideTier({ tiers: tiers.slice(1), figures, current: { tierId: 'silver', floorTierId: null }, trigger: 'period_end' }).reasons,
    ];
    expect(reasons.length).toBeGreaterThanOrEqual(6);
    for (const reason of reasons)
      expect(noChinese(read('tierReasons', reason).replace(/"[^"]*"/g, '')), `${reason} → ${read('tierReasons', reason)}`).toBe(true);
    expect(read('tierReasons', '「金卡」：近 12 个月成长值 6,800 ≥ 4,000')).toBe('"金卡": growth in 12 months 6,800 ≥ 4,000');
  });

  it('reads the partner level, its next step and why a referrer is fixed', () => {
    const levels = [
      { name: '见习合伙人', minConsumptionFen: 0, minSuccessfulReferrals: 0, benefits: '', referrerMultiplierBasisPoints: 10_000 },
      { name: '正式合伙人', minConsumptionFen: 1_000_000, minSuccessfulReferrals: 2, benefits: '', referrerMultiplierBasisPoints: 15_000 },
      { name: '金牌合伙人', minConsumptionFen: 3_000_000, minSuccessfulReferrals: 5, benefits: '', referrerMultiplierBasisPoints: 20_000 },
    ];
    const starting = partnerStandingOf(levels, { consumptionFen: 680_000, successfulReferrals: 0 });
    const middle = partnerStandingOf(levels, { consumptionFen: 3_200_000, successfulReferrals: 2 });
    const texts = [...starting.reasons, starting.next?.sentence ?? '', ...middle.reasons, middle.next?.sentence ?? ''];
    texts.push(referrerLockedSentence('visit', '2026-12-06'), referrerLockedSentence('deal', '2026-12-06'), referrerRewardedSentence);
    for (const text of texts) expect(noChinese(read('referralTexts', text).replace(/"[^"]*"/g, '')), `${text} → ${read('referralTexts', text)}`).toBe(true);
    expect(read('referralTexts', starting.next?.sentence ?? '')).toBe('To become "正式合伙人": spend ¥3,200.00 more and 2 more successful referrals');
  });
});

describe('the checkout’s price explanation in English', () => {
  const line: PricingLine = { id: 'l1', itemId: 'resin', name: '树脂补牙', kind: 'service', categoryId: 'filling', unitPriceFen: 40_000, quantity: 2 };
  const cash = (overrides: Partial<PricingVoucher & { kind: 'cash_off' }> = {}): PricingVoucher => ({
    id: 'v1',
    name: '补牙代金券',
    kind: 'cash_off',
    faceValueFen: 20_000,
    thresholdFen: 0,
    scope: { itemIds: [], categoryIds: [] },
    isStackable: true,
    ...overrides,
  });
  const card = (overrides: Partial<PricingCard> = {}): PricingCard => ({
    id: 'c1',
    name: '家庭卡',
    holder: 'owner',
    ownerCustomerId: 'owner',
    validFrom: '2026-01-01',
    validTo: '2026-12-31',
    discountRules: [{ categoryId: null, kind: null, rateBp: 8_000 }],
    remaining: { discountFen: null, units: null },
    ...overrides,
  });
  const points = (overrides: Partial<PricingPoints>): PricingPoints => pointsInput({ requestedPoints: 100_000, ...overrides });
  const order = (overrides: Partial<PricingInput>): PricingInput => orderInput('2026-06-01', [line], overrides);
  const orders = [
    order({ vouchers: [cash({ thresholdFen: 100_000 })] }),
    order({ vouchers: [cash({ scope: { itemIds: ['other'], categoryIds: [] } })] }),
    order({ vouchers: [cash({ isStackable: false }), cash({ id: 'v2', name: '第二张券' })] }),
    order({ vouchers: [cash(), cash({ id: 'v2', name: '不叠加券', isStackable: false })] }),
    order({ vouchers: [cash({ faceValueFen: 100_000 })] }),
    order({ vouchers: [cash({ faceValueFen: 5_000 })], settings: { ...defaultPricingSettings, vouchersWithDiscounts: false }, cards: [card()] }),
    order({ vouchers: [cash({ faceValueFen: 50_000 })], settings: { ...defaultPricingSettings, vouchersWithDiscounts: false }, cards: [card()] }),
    order({ cards: [card({ validTo: '2026-05-01' })] }),
    order({ cards: [card({ validFrom: '2026-07-01' })] }),
    order({ cards: [card({ remaining: { discountFen: 0, units: null } })] }),
    order({ cards: [card()], tier: { id: 't1', name: '金卡', categoryDiscounts: { filling: 9_000 } } as PricingInput['tier'] }),
    order({ lines: [{ ...line, manualDiscountFen: 1_000 }], points: points({ requestedPoints: 1_000 }) }),
    order({ points: points({ maxPercentOfOrder: 50 }) }),
    order({ points: points({ maxFen: 10_000 }) }),
    order({ points: points({ requestedPoints: 50, minimumPoints: 100 }) }),
    order({ points: points({ requestedPoints: 151, pointsPerYuan: 200 }) }),
    order({ points: points({ excludedKinds: ['service'] }) }),
    order({
      points: points({}),
      vouchers: [cash()],
      settings: { ...defaultPricingSettings, pointsWithVouchers: false },
      lines: [line, { ...line, id: 'l2', categoryId: 'x' }],
    }),
  ];
  const names = ['补牙代金券', '第二张券', '不叠加券', '家庭卡', '金卡会员', '树脂补牙'];
  const results = orders.map((input) => priceOrder(input));

  it('reads every message the pricing engine gives: vouchers refused and applied, cards refused, points limited', () => {
    const messages = results.flatMap((result) => [
      ...result.vouchers.rejected.map((rejected) => rejected.message),
      ...result.cards.rejected.map((rejected) => rejected.message),
      ...(result.points.message ? [result.points.message] : []),
    ]);
    const reasons = new Set(
      results.flatMap((result) => [
        ...result.vouchers.rejected.map((rejected) => rejected.reason),
        ...result.cards.rejected.map((rejected) => rejected.reason),
      ]),
    );
    expect([...reasons].sort()).toEqual([
      'expired',
      'limit_reached',
      'member_discount_better',
      'not_applicable',
      'not_stackable',
      'not_yet_valid',
      'threshold_not_met',
    ]);
    const limits = new Set(results.map((result) => result.points.limitedBy).filter(Boolean));
    expect([...limits]).toEqual(expect.arrayContaining(['amount_cap', 'below_minimum', 'eligible_lines', 'percent_cap', 'whole_fen']));
    for (const message of messages) {
      const english = englishOf(serverTexts.pricingMessages, message);
      expect(noChinese(withoutNames(english, names).replace(/"[^"]*"/g, '')), `${message} → ${english}`).toBe(true);
    }
    const notes = results.flatMap((result) => result.vouchers.applied.map((applied) => applied.message));
    expect(notes.some((note) => note.includes('作废'))).toBe(true);
    for (const note of notes) expect(noChinese(voucherTexts.note(note)), `${note} → ${voucherTexts.note(note)}`).toBe(true);
    expect(englishOf(serverTexts.pricingMessages, '本单为推荐好友的首次成交：到账 500 积分推荐奖励，本单即可使用')).toBe(
      "The referred friend's first deal: 500 reward points arrive and can be used on this order",
    );
  });

  it('composes every line from its figures, with tier and card rates as percentages', () => {
    for (const result of results)
      for (const priced of result.lines) expect(noChinese(withoutNames(pricingTexts.line(priced), names)), pricingTexts.line(priced)).toBe(true);
    const [withCard] = priceOrder(order({ vouchers: [cash()], cards: [card()] })).lines;
    expect(pricingTexts.line(withCard as Parameters<typeof pricingTexts.line>[0])).toBe(
      '树脂补牙 ×2: list price ¥800.00, 补牙代金券 −¥200.00, 家庭卡 20% off −¥120.00, pays ¥480.00',
    );
  });
});
