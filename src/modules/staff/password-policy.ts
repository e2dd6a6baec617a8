import { commonPasswords } from './common-passwords.js';

export const passwordMinLength = 10;

const common = new Set(commonPasswords);

/** Weak stems that padding with digits or symbols does not save (password2024!, woaini0000). */
const weakStems = new Set([
  'password',
  'passw0rd',
  'p@ssw0rd',
  'p@ssword',
  'qwerty',
  'qwertyuiop',
  'admin',
  'administrator',
  'woaini',
  'iloveyou',
  'welcome',
  'letmein',
  'changeme',
  'abc',
  'abcd',
  'abcdef',
  'qwe',
  'asdf',
  'zxcv',
  'mima',
  'test',
  'demo',
  'user',
  'root',
  'guest',
]);

const isOneCharacter = (text: string) => [...text].every((char) => char === text[0]);

/** 1234567890, 9876543210, abcdefghij: each character one step from the last. */
const isSequence = (text: string) => {
  const codes = [...text].map((char) => char.codePointAt(0) ?? 0);
  const steps = new Set(codes.slice(1).map((code, index) => code - (codes[index] ?? 0)));
  return steps.size === 1 && (steps.has(1) || steps.has(-1));
};

/**
 * Why a new password is refused, or undefined when it is acceptable (ASVS 2.1: a length of at
 * least 10, no upper limit that truncates, checked against common passwords; no composition rules).
 */
export const passwordProblem = (password: string, context: { username?: string; tenantCode?: string } = {}): string | undefined => {
  if ([...password].length < passwordMinLength) return `密码至少 ${passwordMinLength} 位`;
  const lower = password.toLowerCase();
  // The padding people add to a weak stem to pass a rule: trailing digits and symbols.
  const stem = lower.replace(/[\d!@#$%^&*.?_-]+$/, '');
  if (common.has(lower) || weakStems.has(stem) || isOneCharacter(lower) || isSequence(lower)) {
    return '这个密码太常见，容易被猜到，请换一个';
  }
  for (const word of [context.username, context.tenantCode]) {
    if (word && word.length >= 3 && lower.includes(word.toLowerCase())) return '密码不能包含用户名或诊所代码';
  }
  return undefined;
};
