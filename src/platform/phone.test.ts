import { describe, expect, it } from 'vitest';
import { maskMobile, normalizeMobile } from './phone.js';

describe('mainland mobile numbers', () => {
  it('normalises +86, 0086, spaces and dashes to 11 digits', () => {
    expect(normalizeMobile('+86 138 1234 5678')).toBe('13812345678');
    expect(normalizeMobile('0086-138-1234-5678')).toBe('13812345678');
    expect(normalizeMobile('8613812345678')).toBe('13812345678');
    expect(normalizeMobile(' 13812345678 ')).toBe('13812345678');
  });

  it('rejects numbers that are not mainland mobiles', () => {
    expect(normalizeMobile('1381234567')).toBeUndefined();
    expect(normalizeMobile('12812345678')).toBeUndefined();
    expect(normalizeMobile('021-62880000')).toBeUndefined();
    expect(normalizeMobile('abc')).toBeUndefined();
  });

  it('masks the middle four digits', () => {
    expect(maskMobile('13812345678')).toBe('138****5678');
  });
});
