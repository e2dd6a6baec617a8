import { Writable } from 'node:stream';
import type { LoggerOptions } from 'pino';

/**
 * Personal data never reaches the logs: phones, ID-card numbers, verification codes and
 * secrets are replaced wherever they appear, in structured fields and in free text alike.
 */
const textPatterns: [RegExp, string][] = [
  [/yh\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g, '[token]'],
  [/(?<![0-9])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx](?![0-9])/g, '[id-number]'],
  [/(?<![0-9])(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?![0-9])/g, '[phone]'],
];

const secretKeys =
  /^(password|passwd|secret|access[-_]?key[-_]?secret|secret[-_]?key|sealed|token|code|otp|smscode|cookie|authorization|x-csrf-token|csrftoken|idempotency-key|api[-_]?key|set-cookie)$/i;

/**
 * A failed query's message carries its parameters (`Failed query: … \nparams: 张三,…`): the names,
 * notes and phones being written. They are cut from the message and the stack, in plain text and
 * in a JSON-encoded line alike, up to the stack's first frame or the end of the string.
 */
const queryParams = /((?:\\n|\n)params: )(?:[^"\\\n]|\\(?!n {2,}at )[\s\S]|\n(?! {2,}at ))*/g;

export const scrubText = (text: string): string =>
  textPatterns.reduce((result, [pattern, replacement]) => result.replace(pattern, replacement), text).replace(queryParams, '$1[redacted]');

/** The same cut on an error's own text, where the parameters run to the first stack frame or the end. */
const withoutParams = (text: string) => text.replace(/(\nparams: )[\s\S]*?(?=\n {2,}at |$)/, '$1[redacted]');

/** What a failed query's database error says, without the values it quotes (a driver error's `detail` repeats the row). */
const causeOf = (error: Error): Record<string, unknown> | undefined => {
  const cause = (error as { cause?: unknown }).cause;
  if (!(cause instanceof Error)) return undefined;
  const { code, constraint } = cause as { code?: unknown; constraint?: unknown };
  // `sqlState`, not `code`: the log's redaction takes every field named code for a verification code.
  return { type: cause.name, sqlState: code, constraint, message: scrubText(cause.message).replace(/"[^"]*"/g, '"…"') };
};

export const scrub = (value: unknown, depth = 0): unknown => {
  if (typeof value === 'string') return scrubText(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    // Never the error's own fields (a failed query's `params`, a driver error's `detail`): only what is known to be safe.
    return {
      type: value.name,
      message: scrubText(withoutParams(value.message)),
      stack: value.stack ? scrubText(withoutParams(value.stack)) : undefined,
      cause: causeOf(value),
    };
  }
  if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1));
  // Requests, responses and other class instances go through their own serializers.
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    result[key] = secretKeys.test(key) ? '[redacted]' : scrub(item, depth + 1);
  }
  return result;
};

/** The last net: every line written is scrubbed, whatever path it took through pino (an Error's message becomes `msg`). */
export const scrubbingStream = (destination: NodeJS.WritableStream = process.stdout): Writable =>
  new Writable({
    write(chunk, _encoding, done) {
      destination.write(scrubText(String(chunk)));
      done();
    },
  });

export const loggerOptions = (level: string, destination?: NodeJS.WritableStream): LoggerOptions & { stream: NodeJS.WritableStream } => ({
  level,
  stream: scrubbingStream(destination),
  serializers: {
    req: (req: { method?: string; url?: string; id?: string }) => ({ method: req.method, url: req.url ? scrubText(req.url) : undefined, id: req.id }),
    res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    err: (error: Error) => scrub(error),
  },
  formatters: {
    log: (object) => scrub(object) as Record<string, unknown>,
  },
  hooks: {
    logMethod(args, method) {
      method.apply(this, args.map((arg) => (typeof arg === 'string' ? scrubText(arg) : arg)) as Parameters<typeof method>);
    },
  },
});
