/**
 * Money is integer fen end to end; yuan appear only on screen. Parsing works on the text, never
 * through floating point, so "0.29" is 29 fen and not 28.999….
 */
export const formatYuan = (fen: number): string => {
  const sign = fen < 0 ? '-' : '';
  const absolute = Math.abs(Math.trunc(fen));
  return `${sign}¥${Math.floor(absolute / 100).toLocaleString('en-US')}.${String(absolute % 100).padStart(2, '0')}`;
};

/** "1,234.5" → 123450; undefined when the text is not an amount with at most two decimals. */
export const parseYuan = (text: string | number | null | undefined): number | undefined => {
  if (text === null || text === undefined) return undefined;
  const match = /^(-)?(\d+)(?:\.(\d{0,2}))?$/.exec(
    String(text)
      .trim()
      .replace(/[¥,\s]/g, ''),
  );
  if (!match) return undefined;
  const [, minus, whole = '0', decimals = ''] = match;
  const fen = Number(whole) * 100 + Number(decimals.padEnd(2, '0'));
  return Number.isSafeInteger(fen) ? (minus ? -fen : fen) : undefined;
};

/** 12345 → "123.45", for an input's initial value. */
export const fenToYuanText = (fen: number): string => (fen / 100).toFixed(2);
