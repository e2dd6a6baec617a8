import { describe, expect, it } from 'vitest';
import { passwordProblem } from './password-policy.js';

describe('password policy', () => {
  it('refuses fewer than 10 characters, counting characters rather than bytes', () => {
    expect(passwordProblem('Abc-12345')).toBe('密码至少 10 位');
    expect(passwordProblem('悦会悦会悦会悦会悦会')).toBeUndefined();
  });

  it('refuses the most common passwords whatever their case', () => {
    expect(passwordProblem('1234567890')).toBeDefined();
    expect(passwordProblem('QwertyUIOP')).toBeDefined();
    expect(passwordProblem('woaini1314')).toBeDefined();
  });

  it('refuses a weak stem padded with digits or symbols to reach the length', () => {
    expect(passwordProblem('password2024!')).toBeDefined();
    expect(passwordProblem('admin0000000')).toBeDefined();
  });

  it('refuses one repeated character and plain sequences', () => {
    expect(passwordProblem('aaaaaaaaaaaa')).toBeDefined();
    expect(passwordProblem('9876543210')).toBeDefined();
    expect(passwordProblem('abcdefghijk')).toBeDefined();
  });

  it('refuses a password that contains the username or the clinic code', () => {
    expect(passwordProblem('frontdesk-2026', { username: 'frontdesk' })).toBe('密码不能包含用户名或诊所代码');
    expect(passwordProblem('Jiayi-Clinic-7', { tenantCode: 'jiayi' })).toBe('密码不能包含用户名或诊所代码');
  });

  it('accepts a long passphrase without composition rules', () => {
    expect(passwordProblem('blue horse staple', { username: 'lin', tenantCode: 'demo' })).toBeUndefined();
    expect(passwordProblem('Perfectly-Fine-Pass-6')).toBeUndefined();
  });
});
