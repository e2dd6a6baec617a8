/**
 * Texts the server composes in Chinese and stores with the record (a visit's proposed-type
 * reason, an order's deal reasons), read in English: each is one of a few fixed sentences with
 * figures, so each has its English form here. A sentence not known (written before a wording
 * changed) is shown as stored.
 */
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

export const serverTexts = { visitReasons, dealReasons };
