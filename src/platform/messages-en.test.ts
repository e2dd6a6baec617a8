import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { englishFieldMessage, englishMessage, englishMessages, prefersEnglish } from './messages-en.js';

const srcDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.includes('.test.') ? [full] : [];
  });

/** Every error code the server can answer with, read from its source. */
const thrownCodes = () => {
  const codes = new Set<string>();
  for (const file of sourceFiles(srcDir)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/DomainError\(\s*'[a-z_]+'\s*,\s*'([A-Z0-9_]+)'/g)) codes.add(match[1] ?? '');
    for (const match of text.matchAll(/notFound\(\s*'[^']*'\s*,\s*'([A-Z0-9_]+)'/g)) codes.add(match[1] ?? '');
    // Codes chosen by a condition or passed to a helper: `'CODE'` as the second argument after a kind.
    for (const match of text.matchAll(/DomainError\(\s*[^,]+,\s*[^,]*\?\s*'([A-Z0-9_]+)'\s*:\s*'([A-Z0-9_]+)'/g)) {
      codes.add(match[1] ?? '');
      codes.add(match[2] ?? '');
    }
    for (const match of text.matchAll(/\brule\(\s*'([A-Z0-9_]+)'/g)) codes.add(match[1] ?? '');
    for (const match of text.matchAll(/send\(reply, \d+, '([A-Z0-9_]+)'/g)) codes.add(match[1] ?? '');
  }
  // Voucher issuance refusals: VOUCHER_ + the outcome's reason.
  for (const reason of ['ended', 'inactive', 'out_of_stock', 'over_limit']) codes.add(`VOUCHER_${reason.toUpperCase()}`);
  codes.delete('');
  return codes;
};

describe('English server messages', () => {
  it('has an English message for every error code the server throws', () => {
    const codes = thrownCodes();
    expect(codes.size).toBeGreaterThan(150);
    const missing = [...codes].filter((code) => !(code in englishMessages)).sort();
    expect(missing).toEqual([]);
  });

  it('writes no Chinese in the English messages', () => {
    const chinese = Object.entries(englishMessages).filter(([, message]) => /[\u4e00-\u9fff]/.test(message));
    expect(chinese).toEqual([]);
  });

  it('reads English from Accept-Language, Chinese otherwise', () => {
    expect(prefersEnglish('en')).toBe(true);
    expect(prefersEnglish('en-US,en;q=0.9')).toBe(true);
    expect(prefersEnglish('zh-CN,zh;q=0.9,en;q=0.8')).toBe(false);
    expect(prefersEnglish(undefined)).toBe(false);
    expect(prefersEnglish('english')).toBe(false);
  });

  it("falls back to the kind's meaning for an unknown code, and to a plain field message", () => {
    expect(englishMessage('CUSTOMER_NOT_FOUND', 'not_found')).toBe('Customer not found.');
    expect(englishMessage('SOMETHING_NEW', 'conflict')).toMatch(/reload/);
    expect(englishFieldMessage('too_small')).toMatch(/Too small/);
    expect(englishFieldMessage('whatever')).toBe('Not valid');
  });
});
