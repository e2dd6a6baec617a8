/**
 * Advertising-law wording (SPEC §16, seed 001): customer-facing text must not use absolute terms
 * or promise medical results. A small list for tier descriptions until the compliance module
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
