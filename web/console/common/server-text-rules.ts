/**
 * Texts the server composes in Chinese and stores with the record (a visit's proposed-type
 * reason, an order's deal reasons), read in English: each is one of a few fixed sentences with
 * figures, so each has its English form here. A sentence not known (written before a wording
 * changed) is shown as stored.
 */
import { formatYuan } from '../../shared/money.js';

type Rule = { pattern: RegExp; english: (match: RegExpExecArray, typeName: (zh: string) => string) => string };

const money = '(¥[\\d,]+(?:\\.\\d+)?)';

const visitReasons: Rule[] = [
  { pattern: /^首次到访$/, english: () => 'First visit' },
  { pattern: /^曾到访，尚未成交$/, english: () => 'Visited before, no deal yet' },
  { pattern: /^有未完成的疗程$/, english: () => 'Has a course with sessions left' },
  { pattern: /^曾成交，当前无进行中的疗程$/, english: () => 'Dealt before, no course running' },
  {
    pattern: /^(\d+) 天前做过治疗，在 (\d+) 天复查期内$/,
    english: (match) => `Treated ${match[1]} days ago, within the ${match[2]}-day re-check window`,
  },
  {
    pattern: /^同一天多次到访，以当天第一次到访（(.+)）为准$/,
    english: (match, typeName) => `Several visits today: the day's first visit (${typeName(match[1] ?? '')}) decides`,
  },
];

const dealReasons: Rule[] = [
  {
    pattern: /^订单类型「(.+)」不计入成交（计入：(.*)）$/,
    english: (match) => `Order type "${match[1]}" does not count as a deal (counted: ${(match[2] ?? '').replaceAll('、', ', ')})`,
  },
  { pattern: /^订单中没有计入成交的品项类别$/, english: () => 'No line of a kind that counts as a deal' },
  { pattern: new RegExp(`^成交金额 ${money} 未达到最低成交限额 ${money}$`), english: (match) => `Deal amount ${match[1]} is below the minimum of ${match[2]}` },
  { pattern: /^成交金额为 0$/, english: () => 'Deal amount is 0' },
  { pattern: new RegExp(`^满足成交条件：成交金额 ${money}$`), english: (match) => `Meets the deal rules: deal amount ${match[1]}` },
];

/** The visit types' Chinese names, for the sentence that names one. */
export const visitTypeKeys: Record<string, string> = { 初诊: 'first', 复诊: 'return', 疗程内: 'in_course', 复查: 'recheck', 再消费: 'repurchase' };

export const englishOf = (rules: readonly Rule[], text: string, typeName: (zh: string) => string = (zh) => zh): string => {
  for (const rule of rules) {
    const match = rule.pattern.exec(text);
    if (match) return rule.english(match, typeName);
  }
  return text;
};

/** 「¥100」, 「¥99.5」 or 「¥1,200」 as titles write them. */
const yuanShort = '(¥[\\d,]+(?:\\.\\d+)?)';

/** 8.5折 → 15% off. */
const percentOff = (zhe: string) => `${Math.round((10 - Number(zhe)) * 10 * 100) / 100}% off`;

/** The value part of a voucher's title (`src/modules/vouchers/title.ts`, valueLabel). */
const voucherValues: Rule[] = [
  { pattern: new RegExp(`^${yuanShort} (.+)（满${yuanShort}可用）$`), english: (match) => `${match[1]} ${match[2]} (on spending ${match[3]})` },
  { pattern: new RegExp(`^${yuanShort} (.+)（无门槛）$`), english: (match) => `${match[1]} ${match[2]} (no minimum spend)` },
  {
    pattern: new RegExp(`^(\\d+(?:\\.\\d+)?)折 (.+)（最多减${yuanShort}）$`),
    english: (match) => `${percentOff(match[1] ?? '10')} ${match[2]} (at most ${match[3]} off)`,
  },
  { pattern: /^(\d+(?:\.\d+)?)折 (.+)$/, english: (match) => `${percentOff(match[1] ?? '10')} ${match[2]}` },
  { pattern: new RegExp(`^(.+)（抵${yuanShort}）$`), english: (match) => `${match[1]} (worth ${match[2]})` },
  { pattern: /^(.+)（免费体验 1 次）$/, english: (match) => `${match[1]} (one free session)` },
  { pattern: /^(.+)（赠送 1 份）$/, english: (match) => `${match[1]} (one free gift)` },
];

const scopeNames = (names: string): string =>
  names
    .split('、')
    .map((name) => name.replace(/^(.+)类$/, '$1 (category)'))
    .join(', ');

/** A voucher's scope (scopeLabelOfNames): every item but cards, or the items and categories it is limited to. */
const voucherScopes: Rule[] = [
  { pattern: /^限?全场（卡项除外）$/, english: () => 'All items except cards' },
  { pattern: /^限?(.+)等 (\d+) 项$/, english: (match) => `${scopeNames(match[1] ?? '')} and more (${match[2]} in all)` },
  { pattern: /^限(.+)$/, english: (match) => `Only ${scopeNames(match[1] ?? '')}` },
  { pattern: /^(.+)$/, english: (match) => scopeNames(match[1] ?? '') },
];

const voucherValidities: Rule[] = [
  { pattern: /^(\d{4}-\d{2}-\d{2}) 至 (\d{4}-\d{2}-\d{2}) 有效$/, english: (match) => `Valid ${match[1]} to ${match[2]}` },
  { pattern: /^领取后 (\d+) 天内有效$/, english: (match) => `Valid for ${match[1]} days after receipt` },
  { pattern: /^有效期至 (\d{4}-\d{2}-\d{2})$/, english: (match) => `Valid until ${match[1]}` },
];

/** 「¥100 水光针代金券（满¥500可用） · 限水光针 · 领取后 30 天内有效」: value, scope and validity, each read on its own. */
const voucherTitle = (title: string): string => {
  const parts = title.split(' · ');
  if (parts.length < 3) return title;
  const validity = parts.pop() ?? '';
  const scope = parts.pop() ?? '';
  return [englishOf(voucherValues, parts.join(' · ')), englishOf(voucherScopes, scope), englishOf(voucherValidities, validity)].join(' · ');
};

const weekdays: Record<string, string> = {
  周一: 'Monday',
  周二: 'Tuesday',
  周三: 'Wednesday',
  周四: 'Thursday',
  周五: 'Friday',
  周六: 'Saturday',
  周日: 'Sunday',
};

/** A multiplier's name in a points explanation (rules.ts, orderMultipliers); a campaign's or item rule's own name stays. */
const multiplierName = (name: string): string => {
  const tier = /^等级(?:（(.+)）)?$/.exec(name);
  if (tier) return tier[1] ? `tier (${tier[1]})` : 'tier';
  const holiday = /^节日（(.+)）$/.exec(name);
  if (holiday) return `holiday (${holiday[1]})`;
  if (name === '法定节假日') return 'public holiday';
  if (name === '会员日') return 'member day';
  return weekdays[name] ?? name;
};

/** 「水光针：基础 580 × 等级（金卡） 1.5 × 周六 2 = 1740 积分」: the line, its base points and each multiplier. */
const pointsReasons: Rule[] = [
  {
    pattern: /^(.*)：基础 (\d+)((?: × .+? \d+(?:\.\d+)?)*) = (\d+) 积分$/,
    english: (match) => {
      const factors = [...(match[3] ?? '').matchAll(/ × (.+?) (\d+(?:\.\d+)?)(?= × |$)/g)].map(
        (factor) => ` × ${multiplierName(factor[1] ?? '')} ${factor[2]}`,
      );
      return `${match[1]}: base ${match[2]}${factors.join('')} = ${match[4]} points`;
    },
  },
  { pattern: /^本次付款不产生积分$/, english: () => 'This payment earns no points' },
  { pattern: /^(.+)：(\d+) 积分$/, english: (match) => `${match[1]}: ${match[2]} points` },
];

const criterionNames: Record<string, string> = { 成长值: 'growth', 消费金额: 'spending', 到店天数: 'days visited', 单次储值: 'largest single top-up' };
const figure = '([\\d,]+|¥[\\d,]+(?:\\.\\d+)?)';

/** Why a tier was reached, kept or lost (membership/rules.ts). */
const tierReasons: Rule[] = [
  { pattern: /^「(.+)」为入门等级，无门槛$/, english: (match) => `"${match[1]}" is the entry tier, open to everyone` },
  {
    pattern: new RegExp(`^「(.+)」：近 (\\d+) 个月(成长值|消费金额|到店天数|单次储值) ${figure} (≥|<) ${figure}$`),
    english: (match) => `"${match[1]}": ${criterionNames[match[3] ?? ''] ?? match[3]} in ${match[2]} months ${match[4]} ${match[5]} ${match[6]}`,
  },
  { pattern: /^未达到任何等级的条件$/, english: () => 'Meets no tier’s conditions' },
  { pattern: /^本周期保底等级「(.+)」$/, english: (match) => `Kept at least "${match[1]}" for this period` },
  { pattern: /^保级成功$/, english: () => 'Tier renewed' },
  { pattern: /^周期结束，按条件重新评定$/, english: () => 'Period ended: re-assessed on the conditions' },
  { pattern: /^周期结束未达保级条件，降一级$/, english: () => 'Period ended below the renewal conditions: down one tier' },
  { pattern: /^手工调整：(.*)$/, english: (match) => `Set by hand: ${match[1]}` },
];

/** Why a partner level (referrals/partner-levels.ts) and why the referrer can no longer change (record-referral.ts). */
const referralTexts: Rule[] = [
  {
    pattern: new RegExp(`^起始等级：近 12 个月消费 ${money}，成功推荐 (\\d+) 人$`),
    english: (match) => `Starting level: spent ${match[1]} in 12 months, ${match[2]} successful referrals`,
  },
  {
    pattern: new RegExp(`^近 12 个月消费 ${money}（(.+)需 ${money}）$`),
    english: (match) => `Spent ${match[1]} in 12 months ("${match[2]}" needs ${match[3]})`,
  },
  { pattern: /^成功推荐 (\d+) 人（(.+)需 (\d+) 人）$/, english: (match) => `${match[1]} successful referrals ("${match[2]}" needs ${match[3]})` },
  {
    pattern: /^还差(.+)即可成为(.+)$/,
    english: (match) => {
      const parts = (match[1] ?? '').split('、').map((part) => {
        const spend = /^消费 (.+)$/.exec(part);
        if (spend) return `spend ${spend[1]} more`;
        const referrals = /^成功推荐 (\d+) 人$/.exec(part);
        return referrals ? `${referrals[1]} more successful referral${referrals[1] === '1' ? '' : 's'}` : part;
      });
      return `To become "${match[2]}": ${parts.join(' and ')}`;
    },
  },
  { pattern: /^已按当前推荐关系发放过奖励，推荐人不能再更改$/, english: () => 'A reward was given for this referral; the referrer can no longer change' },
  {
    pattern: /^客户已于 (\d{4}-\d{2}-\d{2}) (首次到访|成交)，推荐人只能在首次到访前设置或更改$/,
    english: (match) =>
      `The customer ${match[2] === '成交' ? 'made a deal' : 'first visited'} on ${match[1]}; the referrer can be set or changed only before the first visit`,
  },
];

const lineKinds: Record<string, string> = { 服务项目: 'services', 商品: 'goods', 药品: 'drugs', 套餐: 'packages', 卡项: 'cards' };

/** Why fewer points were used than asked (pricing/points-offset.ts, pointsLimitMessage and the excluded-items note). */
const pointsLimits: Rule[] = [
  { pattern: /^每 ¥1 为 (\d+) 积分，积分按整分抵扣$/, english: (match) => `${match[1]} points make ¥1; points are taken in whole fen` },
  {
    pattern: new RegExp(`^可用积分抵扣的品项金额为 ${money}（部分品项或已用券的品项不参与积分抵现）$`),
    english: (match) => `The lines that take points come to ${match[1]} (some items, and lines with a voucher, take none)`,
  },
  { pattern: new RegExp(`^积分抵现最多为本单金额的 (\\d+)%，即 ${money}$`), english: (match) => `Points pay at most ${match[1]}% of the order, ${match[2]}` },
  { pattern: new RegExp(`^本单积分最多抵 ${money}$`), english: (match) => `Points pay at most ${match[1]} on this order` },
  { pattern: /^积分抵现至少使用 (\d+) 积分$/, english: (match) => `At least ${match[1]} points at a time` },
  {
    pattern: /^本单品项均不能用积分抵现(?:（(.+)不参与积分抵现）)?$/,
    english: (match) =>
      `No item on this order takes points${
        match[1]
          ? ` (${match[1]
              .split('、')
              .map((kind) => lineKinds[kind] ?? kind)
              .join(', ')} take none)`
          : ''
      }`,
  },
];

/** The checkout's sentences about points, vouchers, cards and referral rewards (pricing/*.ts, orders/pricing.ts). */
const pricingMessages: Rule[] = [
  {
    pattern: new RegExp(`^使用 (\\d+) 积分，抵 ${money}(?:（申请 (\\d+) 积分；(.*)）)?$`),
    english: (match) => `Uses ${match[1]} points for ${match[2]}${match[3] ? ` (asked for ${match[3]}: ${englishOf(pointsLimits, match[4] ?? '')})` : ''}`,
  },
  { pattern: /^本单未使用积分：(.*)$/, english: (match) => `No points used: ${englishOf(pointsLimits, match[1] ?? '')}` },
  {
    pattern: new RegExp(`^「(.+)」需适用品项满 ${money} 才能使用，本单适用品项合计 ${money}$`),
    english: (match) => `"${match[1]}" needs ${match[2]} of the items it covers; this order has ${match[3]}`,
  },
  {
    pattern: /^「(.+)」不可与会员折扣同享；按会员折扣结算更优惠，本单未使用此券，券仍可下次使用$/,
    english: (match) => `"${match[1]}" does not combine with member discounts, which save more here: not used, kept for next time`,
  },
  { pattern: /^本单没有「(.+)」适用的品项$/, english: (match) => `No item on this order is covered by "${match[1]}"` },
  {
    pattern: /^「(.+)」不能与已使用的「(.+)」同时使用（该券不可叠加）$/,
    english: (match) => `"${match[1]}" cannot be used with "${match[2]}", which does not stack`,
  },
  {
    pattern: /^「(.+)」不可与其他优惠券同时使用，本单已使用「(.+)」$/,
    english: (match) => `"${match[1]}" does not stack with other vouchers, and "${match[2]}" is used`,
  },
  { pattern: /^「(.+)」适用的品项已无可抵扣的金额$/, english: (match) => `Nothing is left to take off the items "${match[1]}" covers` },
  {
    pattern: /^「(.+)」(\d{4}-\d{2}-\d{2}) 起生效，本单还不能享受此卡折扣$/,
    english: (match) => `"${match[1]}" starts on ${match[2]}: no card discount on this order yet`,
  },
  {
    pattern: /^「(.+)」已于 (\d{4}-\d{2}-\d{2}) 到期，本单不能享受此卡折扣$/,
    english: (match) => `"${match[1]}" expired on ${match[2]}: no card discount on this order`,
  },
  { pattern: /^「(.+)」本人的折扣额度已用完$/, english: (match) => `"${match[1]}": the holder's discount allowance is used up` },
  {
    pattern: /^本单为推荐好友的首次成交：到账 (\d+) 积分推荐奖励，本单即可使用$/,
    english: (match) => `The referred friend's first deal: ${match[1]} reward points arrive and can be used on this order`,
  },
];

/** What an applied voucher did (pricing/vouchers.ts): clauses joined by 「；」. */
const voucherNotes: Rule[] = [
  { pattern: new RegExp(`^减 ${money}$`), english: (match) => `takes ${match[1]} off` },
  {
    pattern: new RegExp(`^券面 ${money}，适用品项只有 ${money} 可抵，余 ${money} 作废，不找零$`),
    english: (match) => `face value ${match[1]}, but its items come to ${match[2]}: ${match[3]} is lost, no change given`,
  },
  { pattern: /^此券不与会员折扣同享，适用品项不再打折$/, english: () => 'does not combine with member discounts: its items get no other discount' },
];

/** A tier's or card's discount label (「金卡会员 8 折」, 「家庭卡 免费」) with its rate in English. */
export const discountLabelEnglish = (label: string, rateBp: number | undefined): string => {
  if (rateBp === undefined) return label;
  const name = label.replace(/ (?:\d+(?:\.\d+)? 折|免费)$/, '');
  return rateBp === 0 ? `${name} free` : `${name} ${(10_000 - rateBp) / 100}% off`;
};

const voucherNote = (text: string): string =>
  text
    .split('；')
    .map((clause) => englishOf(voucherNotes, clause))
    .join('; ');

type PricedLineFields = {
  name: string;
  quantity: number;
  listFen: number;
  finalFen: number;
  deductions: readonly { kind: string; label: string; amountFen: number; rateBp?: number | undefined }[];
};

/** A priced line's sentence (pricing/explain.ts, lineSentence) composed in English from its figures. */
const pricedLine = (line: PricedLineFields): string => {
  const steps = line.deductions.map((deduction) => {
    const amount = formatYuan(deduction.amountFen);
    switch (deduction.kind) {
      case 'manual':
        return `store discount −${amount}`;
      case 'points':
        return `points −${amount}`;
      case 'tier_discount':
      case 'card_discount':
        return `${discountLabelEnglish(deduction.label, deduction.rateBp)} −${amount}`;
      default:
        return `${deduction.label} −${amount}`;
    }
  });
  const head = `${line.name}${line.quantity > 1 ? ` ×${line.quantity}` : ''}: list price ${formatYuan(line.listFen)}`;
  return [head, ...steps, `pays ${formatYuan(line.finalFen)}`].join(', ');
};

export const serverTexts = { visitReasons, dealReasons, pointsReasons, tierReasons, referralTexts, pricingMessages };

/** A voucher's title, and its scope alone (a template's scope column). */
export const voucherTexts = { title: voucherTitle, scope: (label: string) => englishOf(voucherScopes, label), note: voucherNote };

export const pricingTexts = { line: pricedLine, discountLabel: discountLabelEnglish };
