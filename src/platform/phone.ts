import validator from 'validator';

/**
 * Normalises a mainland-China mobile number: drops spaces, dashes and the +86 / 0086
 * prefix, and returns the 11 digits, or undefined when it is not a valid mobile number.
 */
export const normalizeMobile = (input: string): string | undefined => {
  const compact = input.replace(/[\s\-()（）]/g, '');
  const national = compact.replace(/^(?:\+86|0086|86(?=1\d{10}$))/, '');
  if (!/^1\d{10}$/.test(national)) return undefined;
  return validator.isMobilePhone(national, 'zh-CN', { strictMode: false }) ? national : undefined;
};

/** 13812345678 → 138****5678, for roles that may not see whole numbers. */
export const maskMobile = (phone: string): string =>
  phone.length >= 7 ? `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}` : '*'.repeat(phone.length);
