import path from 'node:path';
import { z } from 'zod';
import { parseMasterKey } from './platform/secret-box.js';

const ZEnv = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Unset: loopback only, so a trial or demo server is not reachable from the network by accident. */
  HOST: z.string().min(1).optional(),
  DATABASE_URL: z.preprocess((value) => (value === '' ? undefined : value), z.url().optional()),
  YUEHUI_DATA_DIR: z.string().default('./data'),
  /** Embedded mode: how many daily snapshots to keep; older ones are deleted. */
  YUEHUI_SNAPSHOTS_KEPT: z.coerce.number().int().min(1).max(3650).default(7),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().default('development'),
  /** Secure cookies on every response (they are anyway on requests that came over HTTPS); on by default in production. */
  YUEHUI_SECURE_COOKIES: z.enum(['true', 'false']).optional(),
  YUEHUI_SKIP_WEB_BUILD: z.enum(['1', 'true', '0', 'false']).optional(),
  YUEHUI_DEMO: z.enum(['1', 'true', '0', 'false']).optional(),
  /** The setup page beside existing clinics: 'open' lets anyone who reaches the server create one. */
  YUEHUI_SETUP: z.enum(['open', 'closed']).optional(),
  /** Behind a reverse proxy: trust X-Forwarded-For from it (true, or its addresses, comma-separated). */
  TRUST_PROXY: z.string().optional(),
  /** The master key that seals secrets clinics enter (SMS provider keys): 32 bytes, hex or base64. */
  YUEHUI_SECRET_KEY: z
    .string()
    .optional()
    .refine((value) => {
      if (!value) return true;
      try {
        parseMasterKey(value);
        return true;
      } catch {
        return false;
      }
    }, 'must be 32 bytes: 64 hex digits or 44 base64 characters'),
});

export type Config = {
  port: number;
  host: string;
  database: { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };
  dataDir: string;
  /** Embedded mode's daily snapshots: where they go and how many are kept. */
  snapshots: { folder: string; kept: number };
  logLevel: z.infer<typeof ZEnv>['LOG_LEVEL'];
  isProduction: boolean;
  secureCookies: boolean;
  skipWebBuild: boolean;
  seedDemo: boolean;
  /** Whether the setup page stays open once a clinic exists: in demo mode, or when YUEHUI_SETUP=open. */
  isSetupOpen: boolean;
  trustProxy: boolean | string;
  /** YUEHUI_SECRET_KEY as given (checked); without it, embedded mode keeps a key file in the data folder. */
  secretKey: string | undefined;
};

const parseTrustProxy = (value: string | undefined): boolean | string => {
  if (!value || value === 'false') return false;
  return value === 'true' ? true : value;
};

const isOn = (value: string | undefined) => value === '1' || value === 'true';

/** Whether the server can only be reached from this machine (the banner shows the demo password only then). */
export const isLoopbackHost = (host: string): boolean => host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);

/** Environment → typed config, validated once at start; a bad value stops the process with the reason. */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => {
  const parsed = ZEnv.safeParse(env);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`invalid configuration: ${reasons}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.YUEHUI_DATA_DIR);
  const isProduction = e.NODE_ENV === 'production';
  const seedDemo = e.YUEHUI_DEMO === undefined ? true : isOn(e.YUEHUI_DEMO);
  return {
    port: e.PORT,
    host: e.HOST ?? '127.0.0.1',
    database: e.DATABASE_URL ? { kind: 'postgres', url: e.DATABASE_URL } : { kind: 'pglite', dataDir: path.join(dataDir, 'pgdata') },
    dataDir,
    snapshots: { folder: path.join(dataDir, 'snapshots'), kept: e.YUEHUI_SNAPSHOTS_KEPT },
    logLevel: e.LOG_LEVEL,
    isProduction,
    secureCookies: e.YUEHUI_SECURE_COOKIES ? e.YUEHUI_SECURE_COOKIES === 'true' : isProduction,
    skipWebBuild: isOn(e.YUEHUI_SKIP_WEB_BUILD),
    seedDemo,
    isSetupOpen: e.YUEHUI_SETUP === undefined ? seedDemo : e.YUEHUI_SETUP === 'open',
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    secretKey: e.YUEHUI_SECRET_KEY || undefined,
  };
};
