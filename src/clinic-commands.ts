import { parseArgs } from 'node:util';
import type { Db } from './db/client.js';
import { createClinic } from './flows/create-clinic.js';
import { listTenants } from './modules/tenants/index.js';
import { DomainError } from './platform/errors.js';

export const clinicCommandsUsage = `  create-clinic --code <code> --name <name> --owner <username> [--owner-name <display name>]
               [--timezone Asia/Shanghai] [--store <first store name>] [--store-address <address>]
               create a clinic with its first store and owner; the owner's password is read from
               standard input (prompted for on a terminal)
  list-clinics list every clinic on this database`;

/** What a command prints and how it ends, so tests run commands without a process. */
export type CommandResult = { output: string; exitCode: 0 | 1 | 2 };

const describeError = (error: unknown): string => {
  if (error instanceof DomainError) {
    const details = error.details?.map((detail) => `  ${detail.path.replace(/^body\./, '')}: ${detail.message}`) ?? [];
    return [`error: ${error.message} (${error.code})`, ...details].join('\n');
  }
  throw error;
};

/**
 * `create-clinic`: the same clinic the setup page creates (flows/create-clinic.ts), for operators
 * who host many clinics. One transaction: a taken code, a bad time zone or a weak password
 * leaves nothing behind.
 */
export const createClinicCommand = async (db: Db, argv: string[], readPassword: () => Promise<string>, now = new Date()): Promise<CommandResult> => {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        code: { type: 'string' },
        name: { type: 'string' },
        owner: { type: 'string' },
        'owner-name': { type: 'string' },
        timezone: { type: 'string', default: 'Asia/Shanghai' },
        store: { type: 'string' },
        'store-address': { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    return { output: `error: ${(error as Error).message}\n${clinicCommandsUsage}`, exitCode: 2 };
  }
  const missing = ['code', 'name', 'owner'].filter((option) => !values[option]?.trim());
  if (missing.length > 0) return { output: `error: missing ${missing.map((option) => `--${option}`).join(', ')}\n${clinicCommandsUsage}`, exitCode: 2 };
  const code = (values.code ?? '').trim().toLowerCase();
  const username = (values.owner ?? '').trim().toLowerCase();
  if (!/^[a-z][a-z0-9_.-]{2,39}$/.test(username)) {
    return { output: 'error: --owner must start with a letter: 3–40 letters, digits or _ . -', exitCode: 1 };
  }
  const password = (await readPassword()).replace(/\r?\n$/, '');
  try {
    const created = await db.transaction((tx) =>
      createClinic(tx, {
        code,
        name: (values.name ?? '').trim(),
        timezone: (values.timezone ?? 'Asia/Shanghai').trim(),
        stores: [{ name: values.store?.trim() || '总店', address: values['store-address']?.trim() || null }],
        owner: { username, displayName: values['owner-name']?.trim() || username, password },
        now,
      }),
    );
    const lines = [
      `created clinic ${created.tenant.code} "${created.tenant.name}" (${created.tenant.timezone}), id ${created.tenant.id}`,
      ...created.stores.map((store) => `  store  ${store.name}${store.address ? `, ${store.address}` : ''}`),
      `  owner  ${created.owner?.username} (${created.owner?.displayName})`,
      '  defaults: tier 普通会员; points switched off until configured',
      `log in with clinic code "${created.tenant.code}" and user "${created.owner?.username}"`,
    ];
    return { output: lines.join('\n'), exitCode: 0 };
  } catch (error) {
    return { output: describeError(error), exitCode: 1 };
  }
};

export const listClinicsCommand = async (db: Db): Promise<CommandResult> => {
  const rows = await listTenants(db);
  if (rows.length === 0) return { output: 'no clinics yet: create one with create-clinic or the setup page', exitCode: 0 };
  const lines = rows.map((row) =>
    [row.code.padEnd(20), row.timezone.padEnd(18), `${row.storeCount} store(s)`.padEnd(12), row.createdAt.toISOString().slice(0, 10), row.name].join('  '),
  );
  return {
    output: [['code'.padEnd(20), 'time zone'.padEnd(18), 'stores'.padEnd(12), 'created'.padEnd(10), 'name'].join('  '), ...lines].join('\n'),
    exitCode: 0,
  };
};

/** The owner's password: typed without echo on a terminal, else the first line of standard input. */
export const readPasswordFromStdin = async (): Promise<string> => {
  const stdin = process.stdin;
  if (stdin.isTTY) {
    process.stderr.write("Owner's password (at least 10 characters): ");
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    return new Promise((resolve, reject) => {
      let typed = '';
      const onData = (chunk: string) => {
        for (const char of chunk) {
          if (char === '\r' || char === '\n') {
            stdin.setRawMode(false);
            stdin.pause();
            stdin.off('data', onData);
            process.stderr.write('\n');
            resolve(typed);
            return;
          }
          if (char === '\u0003') {
            stdin.setRawMode(false);
            reject(new Error('cancelled'));
            return;
          }
          typed = char === '\u007f' ? typed.slice(0, -1) : typed + char;
        }
      };
      stdin.on('data', onData);
    });
  }
  let input = '';
  for await (const chunk of stdin) input += String(chunk);
  return input.split(/\r?\n/)[0] ?? '';
};
