import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loggerOptions, scrub, scrubText } from './logging.js';

describe('personal data never reaches the logs', () => {
  it('replaces phones and ID-card numbers in free text', () => {
    expect(scrubText('call 13812345678 or +86 139 1234 5678')).toBe('call [phone] or [phone]');
    expect(scrubText('id 11010519491231002X ok')).toBe('id [id-number] ok');
    expect(scrubText('order 20261123 total 39800')).toBe('order 20261123 total 39800');
  });

  it('redacts secrets by field name, at any depth', () => {
    expect(scrub({ body: { phone: '13812345678', code: '123456', password: 'x', nested: { token: 't' } } })).toEqual({
      body: { phone: '[phone]', code: '[redacted]', password: '[redacted]', nested: { token: '[redacted]' } },
    });
  });

  it('scrubs what a real pino logger writes', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const options = loggerOptions('info', sink);
    const logger = pino(options, options.stream);
    logger.info({ customer: { phone: '13912345678' }, smsCode: '654321' }, 'sent code to 13912345678');
    logger.error(new Error('duplicate phone 13912345678'));
    logger.info({ req: { method: 'GET', url: '/api/v1/customers?q=13912345678', id: '1' } }, 'incoming');
    const output = lines.join('');
    expect(output).not.toContain('13912345678');
    expect(output).not.toContain('654321');
    expect(output).toContain('[phone]');
  });
});

describe('failed queries', () => {
  it('cut the parameters from the message and the stack, up to the first frame', () => {
    const error = new Error('Failed query: insert into visits (notes) values ($1)\nparams: 复诊,"备注"\n第二行');
    error.stack = `Error: ${error.message}\n    at insertVisit (visits.ts:10:5)`;
    const scrubbed = scrub(error) as { message: string; stack: string };
    expect(scrubbed.message).toBe('Failed query: insert into visits (notes) values ($1)\nparams: [redacted]');
    expect(scrubbed.stack).toBe('Error: Failed query: insert into visits (notes) values ($1)\nparams: [redacted]\n    at insertVisit (visits.ts:10:5)');
  });

  it('cut them from a JSON-encoded line too, escaped quotes and newlines included', () => {
    const line = JSON.stringify({
      msg: 'Failed query: select $1\nparams: 张三,"x",\n备注',
      stack: 'Error: Failed query: select $1\nparams: 张三\n    at f (a.ts:1:1)',
    });
    const scrubbed = scrubText(line);
    expect(scrubbed).not.toContain('张三');
    expect(scrubbed).not.toContain('备注');
    expect(JSON.parse(scrubbed)).toEqual({
      msg: 'Failed query: select $1\nparams: [redacted]',
      stack: 'Error: Failed query: select $1\nparams: [redacted]\n    at f (a.ts:1:1)',
    });
  });
});
