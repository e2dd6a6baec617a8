import { DomainError } from '../../platform/errors.js';

/**
 * Advertising-law wording (SPEC §16, seed 001): customer-facing text must not use absolute terms
 * or promise medical results. A small list for every customer-facing text until the compliance module
 * owns a tenant-editable one; a hit blocks saving and names the words.
 */
const forbidden = [
  '最有效',
  '最好',
  '最佳',
  '最先进',
  '第一',
  '唯一',
  '顶级',
  '国家级',
  '世界级',
  '100%',
  '百分之百',
  '保证',
  '包治',
  '根治',
  '治愈率',
  '无效退款',
  '零风险',
  '无副作用',
  '永久',
] as const;

export const forbiddenWordsIn = (text: string): string[] => forbidden.filter((word) => text.toLowerCase().includes(word.toLowerCase()));

/**
 * Refuses customer-facing texts that use forbidden wording: 422 `WORDING_FORBIDDEN` naming each
 * field and its words. Every module that saves text a customer reads (tiers, card products,
 * voucher templates, referral settings) calls it with its fields by request path.
 */
export const assertCustomerWording = (fields: Readonly<Record<string, string | null | undefined>>): void => {
  const problems = Object.entries(fields).flatMap(([path, text]) => {
    const words = text ? forbiddenWordsIn(text) : [];
    return words.length > 0 ? [{ path, words }] : [];
  });
  if (problems.length === 0) return;
  const all = [...new Set(problems.flatMap((problem) => problem.words))];
  throw new DomainError(
    'rule',
    'WORDING_FORBIDDEN',
    `面向客户的文字含广告法禁用词：${all.join('、')}`,
    problems.map((problem) => ({ path: problem.path, message: `禁用词：${problem.words.join('、')}` })),
  );
};
