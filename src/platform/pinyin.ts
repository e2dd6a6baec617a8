import { pinyin, polyphonic } from 'pinyin-pro';

/** Beyond this many reading combinations a name gets no more keys (names are short; this bounds pathological input). */
const maxCombinations = 64;

const readingsOf = (text: string): string[][] => {
  const chars = [...text.replace(/\s+/g, '')];
  if (chars.length === 0) return [];
  const all = polyphonic(chars.join(''), { type: 'array', toneType: 'none', nonZh: 'consecutive' }) as string[][];
  // Surname readings (曾 zēng, 单 shàn, 解 xiè …) that the everyday readings may miss.
  const surname = pinyin(chars.join(''), { surname: 'head', toneType: 'none', type: 'array' });
  return all.map((readings, index) => {
    const set = new Set(readings.map((reading) => reading.toLowerCase().replace(/[^a-z0-9]/g, '')).filter(Boolean));
    if (index === 0 && surname[0]) set.add(surname[0].toLowerCase());
    return [...set];
  });
};

const combine = (parts: string[][]): string[] => {
  let results = [''];
  for (const options of parts) {
    const next: string[] = [];
    for (const prefix of results) {
      for (const option of options) {
        if (next.length >= maxCombinations) break;
        next.push(prefix + option);
      }
    }
    results = [...new Set(next)];
  }
  return results.filter(Boolean);
};

/**
 * Search keys for a Chinese name: the initials and the full pinyin for every reading of
 * every polyphonic character, so staff typing `zs` find 张三 and `z` or `c` find 曾.
 */
export const pinyinKeys = (text: string): string[] => {
  const readings = readingsOf(text);
  if (readings.length === 0) return [];
  const initials = combine(readings.map((options) => [...new Set(options.map((option) => option[0] ?? ''))]));
  const full = combine(readings);
  return [...new Set([...initials, ...full])].sort();
};

/** True when the query (latin letters) is a prefix of one of the keys. */
export const matchesPinyin = (keys: readonly string[], query: string): boolean => {
  const q = query.toLowerCase().replace(/\s+/g, '');
  return q.length > 0 && keys.some((key) => key.startsWith(q));
};
