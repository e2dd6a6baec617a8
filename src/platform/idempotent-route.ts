import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db, Tx } from '../db/client.js';
import { authOf, idempotencyOf } from './http.js';
import { runIdempotent } from './idempotency.js';

/**
 * Runs a write in one transaction, under the request's Idempotency-Key when it has one (or
 * must have one: every write that moves value). A replay gets the first response and an
 * `Idempotent-Replayed: true` header.
 */
export const idempotentWrite = async <T>(
  db: Db,
  req: FastifyRequest,
  reply: FastifyReply,
  options: { isKeyRequired: boolean },
  effect: (tx: Tx) => Promise<{ status: number; body: T }>,
): Promise<T> => {
  const idempotency = idempotencyOf(req, { isRequired: options.isKeyRequired });
  const result = idempotency
    ? await runIdempotent(db, { tenantId: authOf(req).tenantId, ...idempotency }, effect)
    : { ...(await db.transaction(effect)), isReplay: false };
  if (result.isReplay) reply.header('idempotent-replayed', 'true');
  reply.code(result.status);
  return result.body;
};
