import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSecretBox, loadSecretBox, parseMasterKey, SecretBoxError, secretKeyFileName } from './secret-box.js';

const box = createSecretBox(randomBytes(32), 'env');
const context = 'tenant:1:sms-keys:aliyun';

const refusal = (open: () => string) => {
  try {
    open();
  } catch (error) {
    return error instanceof SecretBoxError ? error.reason : 'other';
  }
  return 'opened';
};

describe('the secret box (AES-256-GCM under the master key)', () => {
  it('opens what it sealed, with a fresh IV each time, and the secret nowhere in the sealed text', () => {
    const secret = 'aliyun-secret-0123456789';
    const first = box.seal(secret, context);
    const second = box.seal(secret, context);
    expect(first).not.toBe(second);
    expect(first).not.toContain(secret);
    expect(first.startsWith(`v1.${box.keyId}.`)).toBe(true);
    expect(box.open(first, context)).toBe(secret);
    expect(box.open(second, context)).toBe(secret);
  });

  it('refuses a value sealed under another master key, altered, or bound to another clinic or purpose', () => {
    const sealed = box.seal('the secret', context);
    expect(refusal(() => createSecretBox(randomBytes(32), 'env').open(sealed, context))).toBe('wrong_key');
    const [version, keyId, iv, tag, data] = sealed.split('.') as [string, string, string, string, string];
    const flipped = Buffer.from(data, 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(refusal(() => box.open([version, keyId, iv, tag, flipped.toString('base64url')].join('.'), context))).toBe('tampered');
    const otherTag = Buffer.from(tag, 'base64url');
    otherTag[3] = (otherTag[3] ?? 0) ^ 0x80;
    expect(refusal(() => box.open([version, keyId, iv, otherTag.toString('base64url'), data].join('.'), context))).toBe('tampered');
    expect(refusal(() => box.open(sealed, 'tenant:2:sms-keys:aliyun'))).toBe('tampered');
    expect(refusal(() => box.open(`v2.${sealed.slice(3)}`, context))).toBe('format');
    expect(refusal(() => box.open('garbage', context))).toBe('format');
  });

  it('takes YUEHUI_SECRET_KEY as 64 hex digits or base64 of 32 bytes, and nothing shorter', () => {
    const key = randomBytes(32);
    expect(parseMasterKey(key.toString('hex')).equals(key)).toBe(true);
    expect(parseMasterKey(key.toString('base64')).equals(key)).toBe(true);
    expect(() => parseMasterKey(randomBytes(16).toString('hex'))).toThrow(/32 bytes/);
    expect(() => parseMasterKey('not a key')).toThrow(/32 bytes/);
  });
});

describe('where the master key comes from', () => {
  const folders: string[] = [];
  afterAll(async () => {
    for (const folder of folders) await rm(folder, { recursive: true, force: true });
  });

  it('embedded mode without YUEHUI_SECRET_KEY: a key file made once in the data folder (0600) and read back after', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'yuehui-secret-'));
    folders.push(dataDir);
    const first = await loadSecretBox({ secretKey: undefined, databaseKind: 'pglite', dataDir });
    expect(first?.source).toBe('file');
    const file = path.join(dataDir, secretKeyFileName);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const sealed = first?.seal('kept across restarts', context) ?? '';
    const again = await loadSecretBox({ secretKey: undefined, databaseKind: 'pglite', dataDir });
    expect(again?.keyId).toBe(first?.keyId);
    expect(again?.open(sealed, context)).toBe('kept across restarts');
    expect((await readFile(file, 'utf8')).trim()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('YUEHUI_SECRET_KEY wins over the file; PostgreSQL without it has no box (saving is refused)', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'yuehui-secret-'));
    folders.push(dataDir);
    const key = randomBytes(32).toString('hex');
    const fromEnv = await loadSecretBox({ secretKey: key, databaseKind: 'pglite', dataDir });
    expect(fromEnv?.source).toBe('env');
    expect(await stat(path.join(dataDir, secretKeyFileName)).catch(() => undefined)).toBeUndefined();
    expect(await loadSecretBox({ secretKey: undefined, databaseKind: 'postgres', dataDir })).toBeUndefined();
    expect((await loadSecretBox({ secretKey: key, databaseKind: 'postgres', dataDir }))?.keyId).toBe(fromEnv?.keyId);
  });
});
