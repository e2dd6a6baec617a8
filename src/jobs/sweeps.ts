import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db/client.js';
import { verifyLedgerPayments } from '../flows/verify-payments.js';
import { verifyStoredValueLedgers } from '../modules/cards/index.js';
import { sweepActivity, verifyFactLedgers } from '../modules/customers/index.js';
import { createDueTasks } from '../modules/followups/index.js';
import { renewEndedTierPeriodsBatch } from '../modules/membership/index.js';
import {
  deliverQueuedPortal,
  dispatchDueEvents,
  flagLostSends,
  type MessagingDeps,
  queueAutomations,
  sendQueuedSms,
  sendQueuedWechat,
  startDueCampaigns,
  suppressWithdrawnMarketing,
} from '../modules/messaging/index.js';
import { activitySetting } from '../modules/orders/index.js';
import { expireDueLotsBatch, queueExpiryReminders, verifyPointsLedgers } from '../modules/points/index.js';
import { getSetting } from '../modules/settings/index.js';
import { tenants } from '../modules/tenants/index.js';
import { dueDistributionIds, issuePendingTierGifts, queueVoucherExpiryReminders, runIfDue, verifyVoucherLedgers } from '../modules/vouchers/index.js';
import { systemActor } from '../platform/audit.js';
import { businessDate, type Clock } from '../platform/clock.js';
import { makeCtx } from '../platform/context.js';

/** Stable lock keys per job, so only one app instance runs a sweep at a time. */
const lockKeys = {
  activity: 7_301_001,
  pointsExpiry: 7_301_002,
  pointsReminders: 7_301_003,
  tierRetention: 7_301_004,
  voucherDistributions: 7_301_011,
  voucherReminders: 7_301_012,
  tierGifts: 7_301_013,
  messageAutomations: 7_301_021,
  followups: 7_301_031,
} as const;

/**
 * Runs `work` only if this instance wins the job's transaction-scoped advisory lock; another
 * instance running the same job simply skips. The lock ends with the transaction.
 */
const withJobLock = async <T>(db: Db, key: number, work: (tx: Parameters<Parameters<Db['transaction']>[0]>[0]) => Promise<T>): Promise<T | undefined> =>
  db.transaction(async (tx) => {
    const [row] = await queryRows<{ locked: boolean }>(tx, sql`select pg_try_advisory_xact_lock(${key}) as locked`);
    return row?.locked ? work(tx) : undefined;
  });

/** 会员活跃度 moves with time alone: recompute it for every tenant on its own business date. */
export const runActivitySweep = async (db: Db, clock: Clock): Promise<{ tenants: number; changed: number } | undefined> =>
  withJobLock(db, lockKeys.activity, async (tx) => {
    const rows = await tx.select({ id: tenants.id, timezone: tenants.timezone, dayStart: tenants.businessDayStart }).from(tenants);
    let changed = 0;
    for (const tenant of rows) {
      const thresholds = await getSetting(tx, tenant.id, activitySetting);
      changed += await sweepActivity(tx, tenant.id, businessDate(clock.now(), tenant.timezone, tenant.dayStart), thresholds);
    }
    return { tenants: rows.length, changed };
  });

/**
 * Points expiry: every lot past its expiry is written off once, set-based in batches of
 * accounts (each batch its own transaction, so a backlog never holds one long transaction or a
 * long lock). Returns the accounts looked at, the lots expired and the points written off.
 */
export const runPointsExpirySweep = async (
  db: Db,
  clock: Clock,
  accountsPerBatch = 5_000,
  tenantId?: string,
): Promise<{ accounts: number; expired: number; points: number } | undefined> => {
  const now = clock.now();
  const total = { accounts: 0, expired: 0, points: 0 };
  for (;;) {
    const batch = await withJobLock(db, lockKeys.pointsExpiry, (tx) => expireDueLotsBatch(tx, now, accountsPerBatch, tenantId));
    if (batch === undefined) return total.accounts > 0 ? total : undefined;
    total.accounts += batch.accounts;
    total.expired += batch.lots;
    total.points += batch.points;
    if (batch.accounts < accountsPerBatch) return total;
  }
};

/**
 * 会员等级保级: customers whose tier period ended get their tier's retention rule (re-evaluate,
 * down one level, never down) and a new period. Batches of one tenant, each its own transaction
 * under the job lock; idempotent, so the hourly schedule catches each tenant's midnight.
 */
export const runTierRetentionSweep = async (db: Db, clock: Clock, batchSize = 500): Promise<{ renewed: number; changed: number } | undefined> => {
  const now = clock.now();
  const rows = await db.select({ id: tenants.id, timezone: tenants.timezone, dayStart: tenants.businessDayStart }).from(tenants);
  const total = { renewed: 0, changed: 0 };
  for (const tenant of rows) {
    for (;;) {
      const batch = await withJobLock(db, lockKeys.tierRetention, async (tx) => {
        const renewal = await renewEndedTierPeriodsBatch(tx, { tenantId: tenant.id, timezone: tenant.timezone, dayStart: tenant.dayStart, now, batchSize });
        // Raised at period end: the upgrade gifts go into their wallets in the same transaction.
        const ctx = makeCtx(systemActor(tenant.id), now, tenant.timezone, null, tenant.dayStart);
        for (const customerId of renewal.giftsDue) await issuePendingTierGifts(tx, ctx, { customerId });
        return renewal;
      });
      // Another instance holds the job: it will finish the work.
      if (batch === undefined) return total.renewed > 0 ? total : undefined;
      total.renewed += batch.renewed;
      total.changed += batch.changed;
      if (batch.renewed < batchSize) break;
    }
  }
  return total;
};

/** Reminders before points expire, queued in the outbox for the customer's channel. */
export const runExpiryReminderSweep = async (db: Db, clock: Clock) => withJobLock(db, lockKeys.pointsReminders, (tx) => queueExpiryReminders(tx, clock.now()));

/**
 * 定期发券 and scheduled 运营发券 whose time has come: each distribution runs in its own
 * transaction, claimed there (a scheduled run by a conditional status update, a periodic one by its
 * row lock and its period's issue keys), so two overlapping sweeps never issue twice.
 */
export const runVoucherDistributionSweep = async (db: Db, clock: Clock): Promise<{ runs: number; issued: number; failed: number } | undefined> =>
  withJobLock(db, lockKeys.voucherDistributions, async (tx) => {
    const now = clock.now();
    const total = { runs: 0, issued: 0, failed: 0 };
    for (const tenant of await tx.select({ id: tenants.id, timezone: tenants.timezone, dayStart: tenants.businessDayStart }).from(tenants)) {
      const ctx = makeCtx(systemActor(tenant.id), now, tenant.timezone, null, tenant.dayStart);
      for (const id of await dueDistributionIds(tx, ctx)) {
        // A savepoint per run: one distribution that fails does not hold back the others (it is tried again next hour).
        const run = await tx
          .transaction((inner) => runIfDue(inner, ctx, id))
          .catch(() => {
            total.failed++;
            return undefined;
          });
        if (!run) continue;
        total.runs++;
        total.issued += run.issued;
      }
    }
    return total;
  });

/** Reminders before vouchers expire (N days before each voucher's last day), queued in the outbox. */
export const runVoucherReminderSweep = async (db: Db, clock: Clock) =>
  withJobLock(db, lockKeys.voucherReminders, (tx) => queueVoucherExpiryReminders(tx, clock.now()));

/** 自动消息: appointment reminders, birthday greetings, wake-up calls and welcomes each clinic has switched on, queued in the outbox. */
export const runMessageAutomationSweep = async (db: Db, clock: Clock) =>
  withJobLock(db, lockKeys.messageAutomations, (tx) => queueAutomations(tx, clock.now()));

/** Upgrade gifts still pending (given in the upgrade's transaction normally) go into the wallets. */
export const runTierGiftSweep = async (db: Db, clock: Clock) =>
  withJobLock(db, lockKeys.tierGifts, async (tx) => {
    let issued = 0;
    for (const tenant of await tx.select({ id: tenants.id, timezone: tenants.timezone, dayStart: tenants.businessDayStart }).from(tenants)) {
      issued += await issuePendingTierGifts(tx, makeCtx(systemActor(tenant.id), clock.now(), tenant.timezone, null, tenant.dayStart));
    }
    return issued;
  });

/** The daily ledger check: any drift is logged loudly; the command line exits non-zero on it. */
export const runLedgerVerification = async (db: Db) => [
  ...(await verifyPointsLedgers(db)),
  ...(await verifyStoredValueLedgers(db)),
  ...(await verifyVoucherLedgers(db)),
  ...(await verifyLedgerPayments(db)),
  ...(await verifyFactLedgers(db)),
];

/**
 * Message delivery: due outbox events become messages through the sending rules, queued SMS go
 * to the clinic's provider and queued WeChat template messages to its official account, and a send that never got its answer is flagged for review. Safe on
 * several instances at once (rows are claimed with SKIP LOCKED); run every few seconds.
 */
export const runMessageDelivery = async (db: Db, deps: MessagingDeps, clock: Clock) => {
  const now = clock.now();
  // 群发 whose time has come start their runs (the job runner picks them up).
  const campaigns = await db.transaction((tx) => startDueCampaigns(tx, now));
  const dispatched = await dispatchDueEvents(db, deps, now);
  // Consent withdrawn or a 退订 since a marketing message was written stops it before it leaves.
  const withdrawn = await suppressWithdrawnMarketing(db, now);
  const portal = await deliverQueuedPortal(db, now);
  const sms = await sendQueuedSms(db, deps, now);
  const wechat = await sendQueuedWechat(db, deps, now);
  const lost = await flagLostSends(db, now);
  return { campaigns: campaigns.length, events: dispatched.events, messages: dispatched.messages, withdrawn, portal, sms, wechat, lost };
};

/** 回访: the tasks the clinics' rules call for, from treatments, 复诊 without a deal and sleeping members (idempotent). */
export const runFollowupSweep = async (db: Db, clock: Clock): Promise<number | undefined> =>
  withJobLock(db, lockKeys.followups, (tx) => createDueTasks(tx, clock.now()));
