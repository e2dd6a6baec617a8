import type { Actor } from './audit.js';
import { type BusinessDate, businessDate, type DayStart, midnight, startOfBusinessDay } from './clock.js';
import { DomainError } from './errors.js';

/** Who acts, and when in the tenant's calendar: what every business operation needs. */
export type Ctx = {
  actor: Actor;
  tenantId: string;
  now: Date;
  timezone: string;
  /** When the tenant's business day begins (HH:MM local). */
  dayStart: DayStart;
  /** Today's business date in the tenant's time zone, counted from its day start. */
  today: BusinessDate;
  /** Stores the actor may act in; null means every store of the tenant. */
  storeIds: readonly string[] | null;
};

export const makeCtx = (actor: Actor, now: Date, timezone: string, storeIds: readonly string[] | null = null, dayStart: DayStart = midnight): Ctx => ({
  actor,
  tenantId: actor.tenantId,
  now,
  timezone,
  dayStart,
  today: businessDate(now, timezone, dayStart),
  storeIds,
});

/** The instant a business date begins for the context's tenant (its zone and day start). */
export const dayBegins = (ctx: Pick<Ctx, 'timezone' | 'dayStart'>, date: BusinessDate): Date => startOfBusinessDay(date, ctx.timezone, ctx.dayStart);

/** The business date an instant belongs to for the context's tenant. */
export const dayOf = (ctx: Pick<Ctx, 'timezone' | 'dayStart'>, instant: Date): BusinessDate => businessDate(instant, ctx.timezone, ctx.dayStart);

/** Staff scoped to some stores may only act in those (SPEC §1: permissions scoped to stores). */
export const assertStoreAccess = (ctx: Pick<Ctx, 'storeIds'>, storeId: string): void => {
  if (ctx.storeIds && !ctx.storeIds.includes(storeId)) throw new DomainError('forbidden', 'STORE_FORBIDDEN', '您没有该门店的操作权限');
};

/** For lists: the store filter a scoped actor must see through (an empty object: no restriction). */
export const storeScope = (ctx: Pick<Ctx, 'storeIds'>, requested: string | undefined): { storeId?: string; storeIds?: readonly string[] } => {
  if (requested) {
    assertStoreAccess(ctx, requested);
    return { storeId: requested };
  }
  return ctx.storeIds ? { storeIds: ctx.storeIds } : {};
};
