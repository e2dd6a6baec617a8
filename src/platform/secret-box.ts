import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Secrets a clinic enters (an SMS provider's access key secret) are stored sealed: AES-256-GCM
 * under the installation's master key, a random 96-bit IV per seal, the 128-bit authentication
 * tag, and bound to what they belong to (the clinic and the purpose, as additional data) so a
 * sealed value copied to another clinic or purpose does not open. The sealed text names its format
 * version and the master key's id (a fingerprint, never the key), so a value sealed under another
 * key is refused as such rather than as garbage.
 *
 * The master key comes from YUEHUI_SECRET_KEY (32 bytes, hex or base64) or, in embedded mode
 * without it, from `secret.key` in the data folder, generated once (mode 0600).
 */
export type SecretBox = {
  /** The master key's fingerprint (first 8 hex digits of its SHA-256), written into every sealed value. */
  keyId: string;
  /** env: YUEHUI_SECRET_KEY; file: the data folder's secret.key. */
  source: 'env' | 'file';
  seal: (plain: string, context: string) => string;
  /** Throws SecretBoxError: another key, a damaged or altered value, or one bound to another context. */
  open: (sealed: string, context: string) => string;
};

export class SecretBoxError extends Error {
  constructor(
    readonly reason: 'format' | 'wrong_key' | 'tampered',
    message: string,
  ) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

const formatVersion = 'v1';
export const secretKeyFileName = 'secret.key';

/** 64 hex digits or the base64 of 32 bytes; anything else is refused (a short key would weaken every seal). */
export const parseMasterKey = (text: string): Buffer => {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) {
    const bytes = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (bytes.length === 32) return bytes;
  }
  throw new Error('YUEHUI_SECRET_KEY must be 32 bytes: 64 hex digits or 44 base64 characters (e.g. `openssl rand -hex 32`)');
};

const b64 = (bytes: Buffer) => bytes.toString('base64url');

export const createSecretBox = (key: Buffer, source: SecretBox['source']): SecretBox => {
  if (key.length !== 32) throw new Error('the master key must be 32 bytes');
  const keyId = createHash('sha256').update(key).digest('hex').slice(0, 8);
  const aad = (context: string) => Buffer.from(`yuehui:${formatVersion}:${keyId}:${context}`, 'utf8');
  return {
    keyId,
    source,
    seal: (plain, context) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(aad(context));
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [formatVersion, keyId, b64(iv), b64(cipher.getAuthTag()), b64(data)].join('.');
    },
    open: (sealed, context) => {
      const parts = sealed.split('.');
      const [version, sealedKeyId, iv, tag, data] = parts;
      if (parts.length !== 5 || version !== formatVersion || !sealedKeyId || !iv || !tag || data === undefined) {
        throw new SecretBoxError('format', 'not a sealed value of a known format');
      }
      if (sealedKeyId !== keyId) throw new SecretBoxError('wrong_key', `sealed under master key ${sealedKeyId}, not the current ${keyId}`);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAAD(aad(context));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretBoxError('tampered', 'the sealed value does not authenticate (altered, or bound to something else)');
      }
    },
  };
};

/**
 * The installation's box: YUEHUI_SECRET_KEY when set; else, in embedded mode, the data folder's
 * key file (made on first use, readable by the server's user only); else none — with PostgreSQL the
 * data may live on another machine than any file here, so the operator sets the key explicitly.
 */
export const loadSecretBox = async (options: {
  secretKey: string | undefined;
  databaseKind: 'pglite' | 'postgres';
  dataDir: string;
}): Promise<SecretBox | undefined> => {
  if (options.secretKey) return createSecretBox(parseMasterKey(options.secretKey), 'env');
  if (options.databaseKind !== 'pglite') return undefined;
  const file = path.join(options.dataDir, secretKeyFileName);
  const existing = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (existing !== undefined) return createSecretBox(parseMasterKey(existing), 'file');
  const key = randomBytes(32);
  await mkdir(options.dataDir, { recursive: true });
  try {
    // 'wx': never overwrite a key another process wrote meanwhile (the values sealed under it would be lost).
    await writeFile(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return createSecretBox(parseMasterKey(await readFile(file, 'utf8')), 'file');
    throw error;
  }
  return createSecretBox(key, 'file');
};
