/**
 * The one error type of the domain. Handlers never build error responses themselves:
 * they throw a DomainError and the error handler in `http.ts` maps its kind to a status.
 */
export const errorKinds = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rule: 422,
  rate_limited: 429,
} as const;

export type ErrorKind = keyof typeof errorKinds;

export type ErrorDetail = { path: string; message: string };

export class DomainError extends Error {
  readonly kind: ErrorKind;
  readonly code: string;
  readonly details: ErrorDetail[] | undefined;

  constructor(kind: ErrorKind, code: string, message: string, details?: ErrorDetail[]) {
    super(message);
    this.name = 'DomainError';
    this.kind = kind;
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return errorKinds[this.kind];
  }
}

export const notFound = (what: string, code = 'NOT_FOUND') => new DomainError('not_found', code, `${what}不存在`);

export const assertNever = (value: never): never => {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
};

type PgErrorLike = { code?: string; constraint?: string; constraint_name?: string; cause?: unknown };

/** Finds the PostgreSQL error under the wrappers that drivers and Drizzle put around it. */
const pgErrorOf = (error: unknown): PgErrorLike | undefined => {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const candidate = current as PgErrorLike;
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) return candidate;
    current = candidate.cause;
  }
  return undefined;
};

/**
 * Turns unique and foreign-key violations into typed errors, by constraint name.
 * Anything not listed is rethrown unchanged (and becomes a 500).
 */
export const mapConstraintError = (error: unknown, byConstraint: Record<string, DomainError>): never => {
  const pg = pgErrorOf(error);
  const constraint = pg?.constraint ?? pg?.constraint_name;
  if (pg && constraint && (pg.code === '23505' || pg.code === '23503') && byConstraint[constraint]) {
    throw byConstraint[constraint];
  }
  throw error;
};

export const isUniqueViolation = (error: unknown): boolean => pgErrorOf(error)?.code === '23505';
