import { describe, expect, it } from 'vitest';
import { isLoopbackHost, loadConfig } from './config.js';

describe('configuration', () => {
  it('listens on loopback only unless HOST is set, so a demo server is not on the network by accident', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ YUEHUI_DEMO: '1' }).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0', YUEHUI_DEMO: '0' }).host).toBe('0.0.0.0');
  });

  it('knows which addresses only this machine can reach (the banner prints the demo password only there)', () => {
    for (const host of ['127.0.0.1', '127.0.1.1', 'localhost', '::1']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.20', '1270.0.0.1']) expect(isLoopbackHost(host), host).toBe(false);
  });

  it('trusts a proxy only when told to', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1' }).trustProxy).toBe('10.0.0.1');
  });

  it('takes YUEHUI_SECRET_KEY only as 32 bytes, and refuses to start with anything else', () => {
    const hex = 'ab'.repeat(32);
    expect(loadConfig({ YUEHUI_SECRET_KEY: hex }).secretKey).toBe(hex);
    expect(loadConfig({}).secretKey).toBeUndefined();
    expect(() => loadConfig({ YUEHUI_SECRET_KEY: 'too-short' })).toThrow(/YUEHUI_SECRET_KEY: must be 32 bytes/);
  });
});
