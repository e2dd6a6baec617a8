import { and, asc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import type { Db, Executor, Tx } from '../db/client.js';
import type { Actor } from './audit.js';
import type { Clock } from './clock.js';
import { notFound } from './errors.js';
import { newId } from './ids.js';

/**
 * 后台任务: work on many customers at once (a voucher batch, later campaigns, segment actions,
 * imports), started by a request that returns at once. One row per job; the idempotency key
 * makes a retried start request find the job it already started. A job runs in steps, each in
 * its own short transaction that also records the progress and the handler's cursor (`state`),
 * so a crash loses at most the step in flight, and the step's writes are idempotent besides.
 * `lease_until` is the heartbeat: a job left `running` past it by a crashed process is picked up
 * again.
 */
export const jobs = pgTable(
  'jobs',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    /** What runs it, e.g. `voucher_distribution.run`: the name a handler is registered under. */
    kind: text('kind').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    /** queued | running | succeeded | failed */
    status: text('status').notNull(),
    /** The permission that may read the job (the one that reads what it works on). */
    permission: text('permission').notNull(),
    payload: jsonb('payload').notNull(),
    /** The handler's cursor: where the next step continues. */
    state: jsonb('state'),
    progressDone: integer('progress_done').notNull().default(0),
    progressTotal: integer('progress_total'),
    result: jsonb('result'),
    error: text('error'),
    attempts: integer('attempts').notNull().default(0),
    actorType: text('actor_type').notNull(),
    actorId: uuid('actor_id'),
    /** The claim of the process running it; a step commits only under its own claim. */
    leaseId: uuid('lease_id'),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    /** A failed attempt waits until then before the next one. */
    runAfter: timestamp('run_after', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'jobs_pkey', columns: [t.tenantId, t.id] }),
    unique('jobs_idempotency_key').on(t.tenantId, t.kind, t.idempotencyKey),
    index('jobs_status_idx').on(t.status, t.createdAt),
  ],
);

export type JobRow = typeof jobs.$inferSelect;
export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/** What the API shows of a job. */
export type JobView = {
  id: string;
  kind: string;
  status: JobStatus;
  progress: { done: number; total: number | null };
  result: unknown;
  error: string | null;
  attempts: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
};

export const toJobView = (row: JobRow): JobView => ({
  id: row.id,
  kind: row.kind,
  status: row.status as JobStatus,
  progress: { done: row.progressDone, total: row.progressTotal },
  result: row.result ?? null,
  error: row.error,
  attempts: row.attempts,
  createdAt: row.createdAt.toISOString(),
  startedAt: row.startedAt?.toISOString() ?? null,
  finishedAt: row.finishedAt?.toISOString() ?? null,
});

export type StartJobOptions = {
  kind: string;
  idempotencyKey: string;
  permission: string;
  payload: unknown;
  total?: number | null;
};

/**
 * Queues a job, or finds the one already queued under the same kind and key (a retried start
 * request): one job per key, whatever the number of requests. Call it in the transaction that
 * decides the work, so the job exists exactly when that decision committed.
 */
export const startJob = async (tx: Executor, actor: Actor, now: Date, options: StartJobOptions): Promise<{ job: JobRow; isNew: boolean }> => {
  const [inserted] = await tx
    .insert(jobs)
    .values({
      tenantId: actor.tenantId,
      id: newId(),
      kind: options.kind,
      idempotencyKey: options.idempotencyKey,
      status: 'queued',
      permission: options.permission,
      payload: options.payload ?? {},
      progressTotal: options.total ?? null,
      actorType: actor.type,
      actorId: actor.id,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing({ target: [jobs.tenantId, jobs.kind, jobs.idempotencyKey] })
    .returning();
  if (inserted) return { job: inserted, isNew: true };
  const [existing] = await tx
    .select()
    .from(jobs)
    .where(and(eq(jobs.tenantId, actor.tenantId), eq(jobs.kind, options.kind), eq(jobs.idempotencyKey, options.idempotencyKey)));
  if (!existing) throw new Error(`job ${options.kind}/${options.idempotencyKey} neither inserted nor found`);
  return { job: existing, isNew: false };
};

/** One job of the tenant; another tenant's id is not found. */
export const getJobRow = async (tx: Executor, tenantId: string, id: string): Promise<JobRow> => {
  const [row] = await tx
    .select()
    .from(jobs)
    .where(and(eq(jobs.tenantId, tenantId), eq(jobs.id, id)));
  if (!row) throw notFound('任务', 'JOB_NOT_FOUND');
  return row;
};

/** The tenant's jobs of a kind still to finish whose key starts with `keyPrefix` (e.g. one distribution's runs). */
export const findUnfinishedJob = async (tx: Executor, tenantId: string, kind: string, keyPrefix: string): Promise<JobRow | undefined> => {
  const [row] = await tx
    .select()
    .from(jobs)
    .where(
      and(
        eq(jobs.tenantId, tenantId),
        eq(jobs.kind, kind),
        inArray(jobs.status, ['queued', 'running']),
        sql`starts_with(${jobs.idempotencyKey}, ${keyPrefix})`,
      ),
    )
    .orderBy(asc(jobs.createdAt))
    .limit(1);
  return row;
};

/** What a handler sees of its job. */
export type JobInput = Pick<JobRow, 'tenantId' | 'id' | 'kind' | 'payload' | 'state' | 'result' | 'progressDone' | 'progressTotal'> & { actor: Actor };

/** One step's outcome: the new cursor, the result so far, the progress, and whether the job is done. */
export type JobStep = { state: unknown; result: unknown; done: number; total: number | null; isFinished: boolean };

/**
 * A job kind's work, one step at a time, inside the step's transaction (the job row is locked
 * there). A step must be idempotent: if its transaction does not commit, the next attempt runs
 * it again from the same cursor.
 */
export type JobHandler = (tx: Tx, job: JobInput, now: Date) => Promise<JobStep>;

export type JobRunnerOptions = {
  db: Db;
  clock: Clock;
  /** Handlers by kind, registered by the caller: platform knows no module. */
  handlers: Readonly<Record<string, JobHandler>>;
  /** How long a claim lasts without a heartbeat (each step renews it). */
  leaseMs?: number;
  /** How often to look for queued work when nobody wakes the runner. */
  pollMs?: number;
  maxAttempts?: number;
  onError?: (error: unknown, job: JobRow | undefined) => void;
};

export type JobRunner = {
  /** Runs this job now, in the background, after the request that started it committed. */
  kick: (job: Pick<JobRow, 'tenantId' | 'id'>) => Promise<void>;
  /** Claims one due job (or the one named) and runs it to the end; false when nothing was due. */
  runNext: (target?: Pick<JobRow, 'tenantId' | 'id'>) => Promise<boolean>;
  /** Resolves when the work queued so far is done. */
  idle: () => Promise<void>;
  /** Looks for due work (queued, retried, or left by a crashed process) every `pollMs`. */
  start: () => void;
  stop: () => Promise<void>;
};

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 2000);

/**
 * Claims the oldest job due — queued, or running under a lease that expired (its process
 * crashed) — with `FOR UPDATE SKIP LOCKED`, so two runners never take the same job. The claim
 * commits at once: no transaction stays open while the job runs.
 */
export const claimJob = async (
  db: Db,
  now: Date,
  kinds: readonly string[],
  leaseMs: number,
  target?: Pick<JobRow, 'tenantId' | 'id'>,
): Promise<JobRow | undefined> => {
  if (kinds.length === 0) return undefined;
  return db.transaction(async (tx) => {
    const [due] = await tx
      .select({ tenantId: jobs.tenantId, id: jobs.id })
      .from(jobs)
      .where(
        and(
          target ? and(eq(jobs.tenantId, target.tenantId), eq(jobs.id, target.id)) : undefined,
          inArray(jobs.kind, [...kinds]),
          or(
            and(eq(jobs.status, 'queued'), or(sql`${jobs.runAfter} is null`, sql`${jobs.runAfter} <= ${now.toISOString()}::timestamptz`)),
            and(eq(jobs.status, 'running'), lt(jobs.leaseUntil, now)),
          ),
        ),
      )
      .orderBy(asc(jobs.createdAt))
      .limit(1)
      .for('update', { skipLocked: true });
    if (!due) return undefined;
    const [claimed] = await tx
      .update(jobs)
      .set({
        status: 'running',
        leaseId: newId(),
        leaseUntil: new Date(now.getTime() + leaseMs),
        attempts: sql`${jobs.attempts} + 1`,
        startedAt: sql`coalesce(${jobs.startedAt}, ${now.toISOString()}::timestamptz)`,
        updatedAt: now,
      })
      .where(and(eq(jobs.tenantId, due.tenantId), eq(jobs.id, due.id)))
      .returning();
    return claimed;
  });
};

/**
 * Runs one step of a claimed job in its own transaction: the job row is locked, the step's work
 * and the new progress commit together, and the lease is renewed (the heartbeat). Returns
 * 'lost' when the claim was taken over (the lease had expired and another runner took it).
 */
export const runJobStep = async (db: Db, claimed: Pick<JobRow, 'tenantId' | 'id' | 'leaseId'>, handler: JobHandler, now: Date, leaseMs: number) =>
  db.transaction(async (tx): Promise<'finished' | 'more' | 'lost'> => {
    const [row] = await tx
      .select()
      .from(jobs)
      .where(and(eq(jobs.tenantId, claimed.tenantId), eq(jobs.id, claimed.id)))
      .for('update');
    if (row?.status !== 'running' || row.leaseId !== claimed.leaseId) return 'lost';
    const actor: Actor = { tenantId: row.tenantId, type: row.actorType as Actor['type'], id: row.actorId };
    const step = await handler(tx, { ...row, actor }, now);
    await tx
      .update(jobs)
      .set({
        state: step.state ?? null,
        result: step.result ?? null,
        progressDone: step.done,
        progressTotal: step.total,
        status: step.isFinished ? 'succeeded' : 'running',
        error: null,
        leaseUntil: step.isFinished ? null : new Date(now.getTime() + leaseMs),
        leaseId: step.isFinished ? null : row.leaseId,
        finishedAt: step.isFinished ? now : null,
        updatedAt: now,
      })
      .where(and(eq(jobs.tenantId, row.tenantId), eq(jobs.id, row.id)));
    return step.isFinished ? 'finished' : 'more';
  });

/**
 * Runs a queued job to the end inside the caller's transaction, with no runner and no lease: for
 * seeding demo data and the command line, where nothing else waits on the connection.
 */
export const runJobInline = async (tx: Tx, job: Pick<JobRow, 'tenantId' | 'id'>, handler: JobHandler, now: Date): Promise<JobRow> => {
  for (;;) {
    const [row] = await tx
      .select()
      .from(jobs)
      .where(and(eq(jobs.tenantId, job.tenantId), eq(jobs.id, job.id)))
      .for('update');
    if (!row) throw notFound('任务', 'JOB_NOT_FOUND');
    if (row.status === 'succeeded' || row.status === 'failed') return row;
    const actor: Actor = { tenantId: row.tenantId, type: row.actorType as Actor['type'], id: row.actorId };
    const step = await handler(tx, { ...row, actor }, now);
    const [updated] = await tx
      .update(jobs)
      .set({
        state: step.state ?? null,
        result: step.result ?? null,
        progressDone: step.done,
        progressTotal: step.total,
        status: step.isFinished ? 'succeeded' : 'running',
        attempts: row.status === 'queued' ? row.attempts + 1 : row.attempts,
        startedAt: row.startedAt ?? now,
        finishedAt: step.isFinished ? now : null,
        updatedAt: now,
      })
      .where(and(eq(jobs.tenantId, row.tenantId), eq(jobs.id, row.id)))
      .returning();
    if (step.isFinished && updated) return updated;
  }
};

/** After a failed step: try again later (after a pause growing with the attempts), or give up. */
const recordFailure = async (db: Db, claimed: JobRow, error: unknown, now: Date, maxAttempts: number) => {
  const isFinal = claimed.attempts >= maxAttempts;
  await db
    .update(jobs)
    .set({
      status: isFinal ? 'failed' : 'queued',
      error: errorText(error),
      leaseId: null,
      leaseUntil: null,
      runAfter: isFinal ? null : new Date(now.getTime() + 5_000 * 2 ** (claimed.attempts - 1)),
      finishedAt: isFinal ? now : null,
      updatedAt: now,
    })
    .where(and(eq(jobs.tenantId, claimed.tenantId), eq(jobs.id, claimed.id), eq(jobs.leaseId, claimed.leaseId ?? '')));
};

/**
 * The runner inside the server process: works through jobs one at a time, step by step, between
 * other requests (on PGlite's single connection too, since no transaction stays open between
 * steps). A start request kicks its own job; polling (`start`) picks up everything else due.
 */
export const createJobRunner = (options: JobRunnerOptions): JobRunner => {
  const leaseMs = options.leaseMs ?? 60_000;
  const maxAttempts = options.maxAttempts ?? 3;
  const kinds = Object.keys(options.handlers);
  let isStopped = false;
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();
  let isDrainQueued = false;

  const runNext = async (target?: Pick<JobRow, 'tenantId' | 'id'>): Promise<boolean> => {
    const claimed = await claimJob(options.db, options.clock.now(), kinds, leaseMs, target);
    if (!claimed) return false;
    const handler = options.handlers[claimed.kind];
    if (!handler) return false;
    try {
      for (;;) {
        if (isStopped) return true;
        const outcome = await runJobStep(options.db, claimed, handler, options.clock.now(), leaseMs);
        if (outcome !== 'more') return true;
      }
    } catch (error) {
      options.onError?.(error, claimed);
      await recordFailure(options.db, claimed, error, options.clock.now(), maxAttempts);
      return true;
    }
  };

  // One job at a time per process: each piece of work waits for the one before.
  const enqueue = (work: () => Promise<unknown>): Promise<void> => {
    chain = chain.then(async () => {
      if (isStopped) return;
      try {
        await work();
      } catch (error) {
        options.onError?.(error, undefined);
      }
    });
    return chain;
  };

  const drain = async () => {
    isDrainQueued = false;
    while (!isStopped && (await runNext())) {
      // one job after another until none is due
    }
  };

  return {
    kick: (job) => enqueue(() => runNext(job)),
    runNext,
    idle: () => chain,
    start: () => {
      if (timer || isStopped) return;
      const poll = () => {
        if (isDrainQueued) return;
        isDrainQueued = true;
        void enqueue(drain);
      };
      timer = setInterval(poll, options.pollMs ?? 5_000);
      timer.unref();
      poll();
    },
    stop: async () => {
      isStopped = true;
      if (timer) clearInterval(timer);
      await chain;
    },
  };
};
