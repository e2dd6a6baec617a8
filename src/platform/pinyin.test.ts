import { describe, expect, it } from 'vitest';
import { matchesPinyin, pinyinKeys } from './pinyin.js';

describe('pinyin search keys', () => {
  it('finds 张三 by the initials zs and by full pinyin', () => {
    const keys = pinyinKeys('张三');
    expect(matchesPinyin(keys, 'zs')).toBe(true);
    expect(matchesPinyin(keys, 'zhangsan')).toBe(true);
    expect(matchesPinyin(keys, 'zhang')).toBe(true);
    expect(matchesPinyin(keys, 'ls')).toBe(false);
  });

  it('finds the surname 曾 by z (zēng) as well as c (céng)', () => {
    const keys = pinyinKeys('曾蕾');
    expect(matchesPinyin(keys, 'z')).toBe(true);
    expect(matchesPinyin(keys, 'zl')).toBe(true);
    expect(matchesPinyin(keys, 'c')).toBe(true);
  });

  it('finds the surname 单 by s (shàn) as well as d (dān)', () => {
    const keys = pinyinKeys('单雄信');
    expect(matchesPinyin(keys, 's')).toBe(true);
    expect(matchesPinyin(keys, 'sxx')).toBe(true);
    expect(matchesPinyin(keys, 'dxx')).toBe(true);
  });

  it('keeps every reading of polyphones in given names (乐 as le and yue)', () => {
    const keys = pinyinKeys('李乐');
    expect(matchesPinyin(keys, 'll')).toBe(true);
    expect(matchesPinyin(keys, 'ly')).toBe(true);
  });

  it('handles compound surnames and latin letters in names', () => {
    expect(matchesPinyin(pinyinKeys('欧阳娜娜'), 'oynn')).toBe(true);
    expect(matchesPinyin(pinyinKeys('Anna 王'), 'annaw')).toBe(true);
  });

  it('bounds the number of keys for long names full of polyphones', () => {
    expect(pinyinKeys('行长乐单曾查解重长行').length).toBeLessThanOrEqual(128);
  });
});
