/** Money is integer fen (分) everywhere: ¥1 = 100. */
export type Fen = number;

export const assertFen = (value: number, what = 'amount'): Fen => {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be an integer number of fen, got ${value}`);
  return value;
};

/**
 * Splits `total` over `weights` in proportion, by largest remainder (Hamilton's method):
 * every share is an integer, the shares sum to `total` exactly, and ties in the remainder
 * go to the earlier weight so the result is deterministic.
 */
export const allocate = (total: number, weights: readonly number[]): number[] => {
  assertFen(total, 'total');
  if (weights.length === 0) {
    if (total !== 0) throw new RangeError('cannot allocate a non-zero total over no weights');
    return [];
  }
  for (const weight of weights) {
    if (!Number.isSafeInteger(weight) || weight < 0) throw new RangeError(`weights must be non-negative integers, got ${weight}`);
  }
  const weightSum = weights.reduce((sum, weight) => sum + weight, 0);
  if (weightSum === 0) {
    // Nothing to weigh by: split evenly, the same way.
    return allocate(
      total,
      weights.map(() => 1),
    );
  }
  const sign = total < 0 ? -1 : 1;
  const magnitude = BigInt(Math.abs(total));
  const big = BigInt(weightSum);
  const shares = weights.map((weight) => {
    const exact = magnitude * BigInt(weight);
    return { floor: exact / big, remainder: exact % big };
  });
  let left = magnitude - shares.reduce((sum, share) => sum + share.floor, 0n);
  const order = shares
    .map((share, index) => ({ index, remainder: share.remainder }))
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  const result = shares.map((share) => share.floor);
  for (const { index } of order) {
    if (left === 0n) break;
    result[index] = (result[index] ?? 0n) + 1n;
    left -= 1n;
  }
  return result.map((share) => sign * Number(share));
};

/** ¥1,234.50 — only at the edge (UI, receipts, messages). */
export const formatYuan = (fen: Fen): string => {
  assertFen(fen);
  const sign = fen < 0 ? '-' : '';
  const absolute = Math.abs(fen);
  const yuan = Math.floor(absolute / 100).toLocaleString('en-US');
  const cents = String(absolute % 100).padStart(2, '0');
  return `${sign}¥${yuan}.${cents}`;
};

/** Parses "1234.5" or "1,234.50" yuan into fen without floating point. */
export const parseYuan = (text: string): Fen => {
  const match = /^(-)?(\d{1,3}(?:,\d{3})*|\d+)(?:\.(\d{1,2}))?$/.exec(text.trim().replace(/^¥/, ''));
  if (!match) throw new RangeError(`not an amount of yuan: ${text}`);
  const [, minus, whole = '0', decimals = ''] = match;
  const fen = Number(whole.replaceAll(',', '')) * 100 + Number(decimals.padEnd(2, '0'));
  return assertFen(minus ? -fen : fen);
};

const digitsUpper = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const placeUnits = ['', '拾', '佰', '仟'];
const sectionUnits = ['', '万', '亿', '万亿'];

const groupUpper = (group: number): string => {
  let text = '';
  let pendingZero = false;
  let started = false;
  for (let place = 3; place >= 0; place--) {
    const digit = Math.floor(group / 10 ** place) % 10;
    if (digit === 0) {
      if (started) pendingZero = true;
      continue;
    }
    if (pendingZero) text += '零';
    pendingZero = false;
    text += (digitsUpper[digit] ?? '') + (placeUnits[place] ?? '');
    started = true;
  }
  return text;
};

/**
 * 人民币大写 for receipts: 123450 fen → 壹仟贰佰叁拾肆元伍角. Zeros inside the amount collapse to one
 * 零 (壹仟零伍元整); whole yuan end in 整; a missing 角 before 分 is written 零 (壹拾元零伍分).
 */
export const toChineseUppercase = (fen: Fen): string => {
  assertFen(fen);
  if (fen < 0) return `负${toChineseUppercase(-fen)}`;
  const yuan = Math.floor(fen / 100);
  const jiao = Math.floor(fen / 10) % 10;
  const cents = fen % 10;
  const groups: number[] = [];
  for (let rest = yuan; rest > 0; rest = Math.floor(rest / 10_000)) groups.push(rest % 10_000);
  let integer = '';
  let pendingZero = false;
  for (let index = groups.length - 1; index >= 0; index--) {
    const group = groups[index] ?? 0;
    if (group === 0) {
      if (integer) pendingZero = true;
      continue;
    }
    if (integer && group < 1000) pendingZero = true;
    if (pendingZero) integer += '零';
    pendingZero = false;
    integer += groupUpper(group) + (sectionUnits[index] ?? '');
  }
  if (jiao === 0 && cents === 0) return `${integer || '零'}元整`;
  const head = integer ? `${integer}元` : '';
  const jiaoText = jiao > 0 ? `${digitsUpper[jiao]}角` : head ? '零' : '';
  const centText = cents > 0 ? `${digitsUpper[cents]}分` : '';
  return head + jiaoText + centText;
};
