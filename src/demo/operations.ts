import type { Tx } from '../db/client.js';
import { arrive, arriveByAppointment } from '../flows/arrive.js';
import { openOrder } from '../flows/checkout.js';
import { payArrears } from '../flows/pay-arrears.js';
import { refundOrder } from '../flows/refund-order.js';
import { reversePayment } from '../flows/reverse-payment.js';
import type { ItemView } from '../modules/catalog/index.js';
import { createCategory, createItem } from '../modules/catalog/index.js';
import { defaultActivityThresholds, sweepActivity } from '../modules/customers/index.js';
import type { PaymentMethod } from '../modules/orders/index.js';
import { deductSessions, listCourses } from '../modules/orders/index.js';
import { createAppointment, updateAppointment } from '../modules/visits/index.js';
import type { Actor } from '../platform/audit.js';
import { makeCtx } from '../platform/context.js';
import { DomainError } from '../platform/errors.js';
import { paymentsOf } from './operations-queries.js';

type Random = { next: () => number; int: (min: number, max: number) => number; pick: <T>(items: readonly T[]) => T; chance: (probability: number) => boolean };

type Staff = { id: string; role: string; username: string };

/** The demo catalogue: what a 医美 / 口腔 clinic in Shanghai sells, in fen. */
const catalogue = async (tx: Tx, actor: Actor) => {
  const categories: Record<string, string> = {};
  for (const [index, name] of ['注射', '光电', '皮肤管理', '手术', '口腔', '产品', '药品'].entries()) {
    categories[name] = (await createCategory(tx, actor, { name, sortOrder: index })).id;
  }
  const item = (category: string, input: Parameters<typeof createItem>[2]) => createItem(tx, actor, { ...input, categoryId: categories[category] ?? null });
  const hydration = await item('注射', { kind: 'service', name: '水光针', priceFen: 68_000 });
  const filler = await item('注射', { kind: 'service', name: '玻尿酸填充1ml', priceFen: 398_000 });
  const botox = await item('注射', { kind: 'service', name: '肉毒素除皱', priceFen: 280_000 });
  const ipl = await item('光电', { kind: 'service', name: '光子嫩肤', priceFen: 128_000 });
  const thermage = await item('光电', { kind: 'service', name: '热玛吉', priceFen: 1_280_000 });
  const picosecond = await item('光电', { kind: 'service', name: '超皮秒祛斑', priceFen: 298_000 });
  const bubble = await item('皮肤管理', { kind: 'service', name: '小气泡清洁', priceFen: 19_800 });
  const skinCheck = await item('皮肤管理', { kind: 'service', name: '皮肤检测', priceFen: 0 });
  const eyelid = await item('手术', { kind: 'service', name: '双眼皮', priceFen: 680_000 });
  const filling = await item('口腔', { kind: 'service', name: '树脂补牙', priceFen: 40_000 });
  const cleaning = await item('口腔', { kind: 'service', name: '洗牙', priceFen: 29_800 });
  const implant = await item('口腔', { kind: 'service', name: '种植牙', priceFen: 880_000 });
  const mask = await item('产品', { kind: 'goods', name: '医用修复面膜', priceFen: 12_800 });
  const sunscreen = await item('产品', { kind: 'goods', name: '物理防晒霜', priceFen: 23_800 });
  const device = await item('产品', { kind: 'goods', name: '家用射频美容仪', priceFen: 198_000 });
  const cream = await item('药品', { kind: 'drug', name: '复方利多卡因乳膏', priceFen: 5_800 });
  const courses = [
    await item('注射', { kind: 'package', name: '水光三次疗程', priceFen: 180_000, validityDays: 365, contents: [{ itemId: hydration.id, sessions: 3 }] }),
    await item('光电', { kind: 'package', name: '光子嫩肤五次', priceFen: 498_000, validityDays: 365, contents: [{ itemId: ipl.id, sessions: 5 }] }),
    await item('皮肤管理', {
      kind: 'card',
      name: '补水小神卡',
      priceFen: 99_900,
      validityDays: 180,
      contents: [
        { itemId: hydration.id, sessions: 1 },
        { itemId: bubble.id, sessions: 2 },
      ],
    }),
    await item('口腔', { kind: 'card', name: '洗牙年卡', priceFen: 49_800, validityDays: 365, contents: [{ itemId: cleaning.id, sessions: 2 }] }),
  ];
  const luckyBag = await item('皮肤管理', {
    kind: 'package',
    name: '新年福袋',
    priceFen: 68_000,
    validityDays: 90,
    contents: [
      { itemId: bubble.id, sessions: 1 },
      { itemId: skinCheck.id, sessions: 1 },
    ],
  });
  return {
    services: [hydration, filler, botox, ipl, thermage, picosecond, bubble, eyelid, filling, cleaning, implant],
    goods: [mask, sunscreen, device, cream],
    courses,
    luckyBag,
  };
};

type Event = { at: number; order: number; run: () => Promise<void> };

const methods: PaymentMethod[] = ['wechat', 'wechat', 'alipay', 'bank_card', 'cash'];
const day = 86_400_000;

/** An instant on the given day at a clinic hour, Shanghai time. */
const clinicTime = (base: number, random: Random, hours: [number, number] = [10, 19]) => {
  const shanghaiMidnight = Math.floor((base + 8 * 3_600_000) / day) * day - 8 * 3_600_000;
  return shanghaiMidnight + random.int(hours[0], hours[1] - 1) * 3_600_000 + random.pick([0, 15, 30, 45]) * 60_000;
};

/**
 * Two years of clinic life for the demo customers, replayed in time order through the same
 * functions the API uses: appointments, arrivals with proposed visit types, orders with
 * attribution, partial payments and arrears, courses and their deductions, a few reversals
 * and refunds, and today's appointment book and unpaid queue.
 */
export const seedOperations = async (
  tx: Tx,
  input: {
    tenantId: string;
    storeIds: string[];
    staff: Staff[];
    customers: { id: string; createdAt: Date; consultantId: string | null }[];
    random: Random;
    now: number;
  },
) => {
  const { tenantId, storeIds, random, now } = input;
  const actorOf = (staff: Staff | undefined): Actor => ({ tenantId, type: 'staff', id: staff?.id ?? null });
  const desk = input.staff.find((member) => member.role === 'front_desk');
  const manager = input.staff.find((member) => member.role === 'store_manager');
  const doctor = input.staff.find((member) => member.role === 'doctor_nurse');
  const consultants = input.staff.filter((member) => member.role === 'consultant');
  const items = await catalogue(tx, actorOf(manager));
  const ctxAt = (at: number, staff: Staff | undefined = desk) => makeCtx(actorOf(staff), new Date(at), 'Asia/Shanghai');
  const events: Event[] = [];
  let sequence = 0;
  const at = (time: number, run: () => Promise<void>) => {
    if (time <= now) events.push({ at: time, order: sequence++, run });
  };
  // Refusals (a course already used up, say) are part of life: the demo simply moves on.
  const attempt = async (work: () => Promise<unknown>) => {
    try {
      // In a savepoint: a refusal thrown halfway (stored value short after the order row is
      // written) must leave nothing behind, or the ledgers disagree with their payments.
      await tx.transaction(work);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
  };

  const attribution = (consultantId: string | null) => {
    const consultant = consultantId ?? random.pick(consultants).id;
    return random.chance(0.4) && doctor
      ? [
          { staffId: consultant, role: 'consultant' as const, ratioPercent: 70 },
          { staffId: doctor.id, role: 'doctor' as const, ratioPercent: 30 },
        ]
      : [{ staffId: consultant, role: 'consultant' as const, ratioPercent: 100 }];
  };

  const basket = (): { item: ItemView; quantity: number; unitPriceFen?: number }[] => {
    const roll = random.next();
    if (roll < 0.35) return [{ item: random.pick(items.courses), quantity: 1 }];
    if (roll < 0.7)
      return [
        { item: random.pick(items.services), quantity: 1 },
        ...(random.chance(0.3) ? [{ item: random.pick(items.goods), quantity: random.int(1, 3) }] : []),
      ];
    if (roll < 0.9) return [{ item: random.pick(items.goods), quantity: random.int(1, 4) }];
    return [{ item: items.luckyBag, quantity: 1, unitPriceFen: 7_900 }];
  };

  const visit = async (time: number, customerId: string, storeId: string, booked: boolean) => {
    const ctx = ctxAt(time);
    if (booked) {
      const appointmentId = await createAppointment(tx, ctxAt(time - day * random.int(1, 5)), {
        storeId,
        customerId,
        staffId: random.pick(consultants).id,
        startsAt: new Date(time).toISOString(),
        durationMinutes: random.pick([30, 60, 90]),
        itemIds: [],
        notes: null,
      });
      await arriveByAppointment(tx, ctx, appointmentId, {});
    } else {
      await arrive(tx, ctx, { customerId, storeId });
    }
  };

  const buy = async (time: number, customer: (typeof input.customers)[number], storeId: string) => {
    const ctx = ctxAt(time);
    const lines = basket();
    const total = lines.reduce((sum, line) => sum + (line.unitPriceFen ?? line.item.priceFen) * line.quantity, 0);
    const isPartial = total > 50_000 && random.chance(0.1);
    const paid = isPartial ? Math.round((total * random.int(3, 7)) / 1000) * 100 : total;
    const orderId = await openOrder(tx, ctx, {
      storeId,
      customerId: customer.id,
      lines: lines.map((line) => ({
        itemId: line.item.id,
        quantity: line.quantity,
        unitPriceFen: line.unitPriceFen,
        attribution: attribution(customer.consultantId),
      })),
      payments: paid > 0 ? [{ method: random.pick(methods), amountFen: paid }] : [],
    });
    if (isPartial && random.chance(0.6)) {
      at(time + day * random.int(3, 40), () =>
        attempt(() => payArrears(tx, ctxAt(clinicTime(time + day * 3, random)), orderId, [{ method: 'wechat', amountFen: total - paid }])),
      );
    }
    return { orderId, hasCourse: lines.some((line) => line.item.kind === 'package' || line.item.kind === 'card'), lines };
  };

  const sessionsFor = (customerId: string, storeId: string, from: number) => {
    let time = from;
    for (let session = 0; session < 6; session++) {
      time += day * random.int(21, 45);
      if (random.chance(0.15)) return;
      const when = clinicTime(time, random);
      at(when, async () => {
        const ctx = ctxAt(when, doctor);
        const [course] = (await listCourses(tx, ctx, customerId)).filter((entry) => !entry.isExpired && !entry.isFinished);
        const item = course?.items.find((entry) => entry.remainingSessions > 0);
        if (!item || !doctor) return;
        await attempt(() => visit(when, customerId, storeId, random.chance(0.7)));
        await attempt(() => deductSessions(tx, ctx, item.id, { storeId, sessions: 1, executorId: doctor.id }));
        const [stillRunning] = (await listCourses(tx, ctx, customerId)).filter((entry) => !entry.isExpired && !entry.isFinished);
        if (!stillRunning && random.chance(0.5)) {
          // 复查: a check a week or two after the last session.
          const check = clinicTime(when + day * random.int(7, 20), random);
          at(check, () => attempt(() => visit(check, customerId, storeId, true)));
        }
      });
    }
  };

  for (const customer of input.customers) {
    const storeId = random.chance(0.62) ? (storeIds[0] ?? '') : (storeIds[1] ?? '');
    if (!random.chance(0.78)) continue;
    const first = clinicTime(customer.createdAt.getTime() + day * random.int(0, 3), random);
    if (random.chance(0.08)) {
      // Booked, never came.
      at(first, () =>
        attempt(async () => {
          const id = await createAppointment(tx, ctxAt(first - day), {
            storeId,
            customerId: customer.id,
            staffId: null,
            startsAt: new Date(first).toISOString(),
            durationMinutes: 60,
            itemIds: [],
            notes: null,
          });
          await updateAppointment(tx, ctxAt(first + 3_600_000 * 2), id, { status: 'no_show' });
        }),
      );
      continue;
    }
    at(first, async () => {
      await visit(first, customer.id, storeId, random.chance(0.5));
      if (!random.chance(0.62)) {
        // 复诊: a second look a couple of weeks later, sometimes with a deal.
        const again = clinicTime(first + day * random.int(7, 30), random);
        at(again, async () => {
          await attempt(() => visit(again, customer.id, storeId, true));
          if (random.chance(0.4)) await attempt(() => buy(again + 1_800_000, customer, storeId));
        });
        return;
      }
      const purchase = await buy(first + 1_800_000, customer, storeId);
      if (purchase.hasCourse) sessionsFor(customer.id, storeId, first);
      if (random.chance(0.03)) {
        // A wrong charge, reversed the same day with a reason.
        await attempt(async () => {
          const ctx = ctxAt(first + 3_600_000, manager);
          const { paymentRows } = await paymentsOf(tx, tenantId, purchase.orderId);
          const payment = paymentRows[0];
          if (payment) await reversePayment(tx, ctx, payment.id, { reasonCode: 'wrong_amount', note: '收款金额录错' });
        });
      }
      if (random.chance(0.03) && purchase.lines.some((line) => line.item.kind === 'goods')) {
        const later = first + day * random.int(1, 6);
        at(later, () =>
          attempt(async () => {
            const { lineRows, paidFen } = await paymentsOf(tx, tenantId, purchase.orderId);
            const goods = lineRows.find((line) => line.kind === 'goods');
            if (!goods) return;
            const unit = Math.floor(goods.amountFen / goods.quantity);
            await refundOrder(tx, ctxAt(later, manager), purchase.orderId, {
              lines: [{ lineId: goods.id, quantity: 1 }],
              payouts: paidFen >= unit ? [{ method: 'wechat', amountFen: unit }] : [],
              reasonCode: 'customer_request',
            });
          }),
        );
      }
      if (random.chance(0.35)) {
        const back = clinicTime(first + day * random.int(60, 320), random);
        at(back, async () => {
          await attempt(() => visit(back, customer.id, storeId, random.chance(0.6)));
          await attempt(async () => {
            const repeat = await buy(back + 1_800_000, customer, storeId);
            if (repeat.hasCourse) sessionsFor(customer.id, storeId, back);
          });
        });
      }
    });
  }

  // Replay in time order; events may schedule later events.
  while (events.length > 0) {
    events.sort((a, b) => a.at - b.at || a.order - b.order);
    const next = events.shift();
    if (next) await next.run();
  }

  // Today: an appointment book and an unpaid queue at the flagship store.
  const today = input.customers.slice(-40);
  for (const [index, customer] of today.slice(0, 14).entries()) {
    const startsAt = clinicTime(now, random, [9, 20]);
    const id = await createAppointment(tx, ctxAt(now - day), {
      storeId: storeIds[index % 3 === 0 ? 1 : 0] ?? '',
      customerId: customer.id,
      staffId: random.pick(consultants).id,
      startsAt: new Date(startsAt).toISOString(),
      durationMinutes: random.pick([30, 60, 90]),
      itemIds: [random.pick(items.services).id],
      notes: null,
    });
    if (startsAt < now - 1_800_000 && random.chance(0.6)) await attempt(() => arriveByAppointment(tx, ctxAt(startsAt), id, {}));
  }
  for (const customer of today.slice(14, 18)) {
    const consultant = random.pick(consultants);
    await attempt(() =>
      openOrder(tx, ctxAt(now - 3_600_000, consultant), {
        storeId: storeIds[0] ?? '',
        customerId: customer.id,
        lines: [{ itemId: random.pick(items.services).id, quantity: 1, attribution: [{ staffId: consultant.id, role: 'consultant', ratioPercent: 100 }] }],
      }),
    );
  }
  const todayDate = makeCtx(actorOf(desk), new Date(now), 'Asia/Shanghai').today;
  await sweepActivity(tx, tenantId, todayDate, defaultActivityThresholds);
};
