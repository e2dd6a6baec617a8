/** A lot as the consumption rule sees it. */
export type LotState = { id: string; remaining: number; availableAt: Date; expiresAt: Date | null; createdAt: Date };

export const isLive = (lot: LotState, now: Date) => (lot.expiresAt === null || lot.expiresAt > now) && lot.remaining > 0;
/** Written off by the expiry sweep: frozen for good. */
export const isWrittenOff = (lot: Pick<LotState, 'expiresAt'>, expiredThrough: Date | null) =>
  lot.expiresAt !== null && expiredThrough !== null && lot.expiresAt <= expiredThrough;
export const isActive = (lot: LotState, now: Date) => isLive(lot, now) && lot.availableAt <= now;

/** Soonest-expiring first (never-expiring last), then oldest, then by id: customers lose as little as possible to expiry. */
export const spendingOrder = (a: LotState, b: LotState) => {
  const aExpiry = a.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
  const bExpiry = b.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
  if (aExpiry !== bExpiry) return aExpiry - bExpiry;
  if (a.createdAt.getTime() !== b.createdAt.getTime()) return a.createdAt.getTime() - b.createdAt.getTime();
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
};

/**
 * Takes `points` from the lots in spending order; returns how much each lot gives, or undefined
 * when they hold too little. Pure: the ledger applies the result under the account lock.
 */
export const consumeLots = (lots: readonly LotState[], points: number): { lotId: string; points: number }[] | undefined => {
  const takes: { lotId: string; points: number }[] = [];
  let left = points;
  for (const lot of [...lots].sort(spendingOrder)) {
    if (left === 0) break;
    const take = Math.min(lot.remaining, left);
    if (take > 0) takes.push({ lotId: lot.id, points: take });
    left -= take;
  }
  return left === 0 ? takes : undefined;
};
