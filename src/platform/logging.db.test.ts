import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.js';
import { openTestDatabase } from '../testing/database.js';
import { loggerOptions } from './logging.js';

let database: Database;

beforeAll(async () => {
  database = await openTestDatabase();
});

afterAll(async () => {
  await database.close();
});

const capture = () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const options = loggerOptions('info', sink);
  return { logger: pino(options, options.stream), output: () => lines.join('') };
};

describe('a failed query in the log', () => {
  it('names the statement and the database reason, never the values it was given', async () => {
    const name = '欧阳娜娜';
    const note = '术后第三天复诊，"左脸"轻微红肿\n建议冰敷';
    const failure = await database.db
      .execute(sql`insert into customers (tenant_id, id, name, notes) values (${'not-a-uuid'}, ${'also-not'}, ${name}, ${note})`)
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(Error);
    expect(String((failure as Error).message)).toContain(name);

    const { logger, output } = capture();
    logger.error({ err: failure }, 'unhandled error');
    logger.error(failure as Error);
    const text = output();
    for (const secret of [name, '左脸', '建议冰敷', '术后第三天']) expect(text).not.toContain(secret);
    expect(text).toContain('Failed query: insert into customers');
    expect(text).toContain('params: [redacted]');
    expect(text).toMatch(/"sqlState":"22P02"/);
  });
});
