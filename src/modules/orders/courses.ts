import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../db/client.js';
import { writeAudit } from '../../platform/audit.js';
import { addDays, daysBetween } from '../../platform/clock.js';
import { assertStoreAccess, type Ctx } from '../../platform/context.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { allocate } from '../../platform/money.js';
import { getItemRow, packageContentsOf } from '../catalog/index.js';
import { applyDeductionFacts } from '../customers/index.js';
import { staffExists, staffNames } from '../staff/index.js';
import { type AttributionShare, attributionProblem, splitAttribution } from './attribution.js';
import { assertDayOpen } from './shift-close.js';
import { courseItems, courses, deductions, type orderLines, orders, performanceCredits } from './tables.js';
import { refreshConsumptionTags } from './tags.js';

type LineRow = typeof orderLines.$inferSelect;
type CourseItemRow = typeof courseItems.$inferSelect;

/** The value each session of a course item carries: its value split evenly, largest remainder. */
export const sessionValues = (item: Pick<CourseItemRow, 'valueFen' | 'totalSessions'>) =>
  allocate(
    item.valueFen,
    Array.from({ length: item.totalSessions }, () => 1),
  );

/** Sessions are executed from the first and refunded from the last, so the two never overlap. */
export const valueOfSessions = (item: Pick<CourseItemRow, 'valueFen' | 'totalSessions'>, from: number, count: number) =>
  sessionValues(item)
    .slice(from, from + count)
    .reduce((sum, value) => sum + value, 0);

export const remainingOf = (item: Pick<CourseItemRow, 'totalSessions' | 'usedSessions' | 'refundedSessions'>) =>
  item.totalSessions - item.usedSessions - item.refundedSessions;

/** Selling a package or course card creates the customer's course, its value split over its items by list value. */
export const createCourses = async (tx: Executor, ctx: Ctx, order: { id: string; customerId: string }, lines: LineRow[]) => {
  for (const line of lines.filter((row) => row.kind === 'package' || row.kind === 'card')) {
    const item = await getItemRow(tx, ctx.tenantId, line.itemId);
    const contents = await packageContentsOf(tx, ctx.tenantId, line.itemId);
    if (contents.length === 0) continue;
    const values = allocate(
      line.amountFen,
      contents.map((content) => content.priceFen * content.sessions),
    );
    const courseId = newId();
    await tx.insert(courses).values({
      tenantId: ctx.tenantId,
      id: courseId,
      customerId: order.customerId,
      orderId: order.id,
      orderLineId: line.id,
      packageItemId: line.itemId,
      name: line.name,
      expiresOn: item.validityDays ? addDays(ctx.today, item.validityDays) : null,
      createdAt: ctx.now,
    });
    await tx.insert(courseItems).values(
      contents.map((content, index) => ({
        tenantId: ctx.tenantId,
        id: newId(),
        courseId,
        itemId: content.itemId,
        name: content.name,
        totalSessions: content.sessions * line.quantity,
        valueFen: values[index] ?? 0,
      })),
    );
  }
};

const creditRows = (ctx: Ctx, source: { type: string; id: string; orderId: string | null; storeId: string }, shares: ReturnType<typeof splitAttribution>) =>
  shares.map((share) => ({
    tenantId: ctx.tenantId,
    id: newId(),
    sourceType: source.type,
    sourceId: source.id,
    orderId: source.orderId,
    storeId: source.storeId,
    staffId: share.staffId,
    role: share.role,
    ratioBasisPoints: Math.round(share.ratioPercent * 100),
    amountFen: share.amountFen,
    businessDate: ctx.today,
  }));

/** 划扣: executes sessions of a course item; the executor (and any split) is credited with their value. */
export const deductSessions = async (
  tx: Executor,
  ctx: Ctx,
  courseItemId: string,
  input: { storeId: string; sessions: number; executorId: string; attribution?: AttributionShare[]; visitId?: string | null; note?: string | null },
) => {
  // The store's row in share mode (open, today not closed), before the course item's.
  assertStoreAccess(ctx, input.storeId);
  await assertDayOpen(tx, ctx, input.storeId);
  const [item] = await tx
    .select()
    .from(courseItems)
    .where(and(eq(courseItems.tenantId, ctx.tenantId), eq(courseItems.id, courseItemId)))
    .for('update');
  if (!item) throw notFound('疗程项目', 'COURSE_ITEM_NOT_FOUND');
  const [course] = await tx
    .select()
    .from(courses)
    .where(and(eq(courses.tenantId, ctx.tenantId), eq(courses.id, item.courseId)));
  if (!course) throw notFound('疗程', 'COURSE_NOT_FOUND');
  if (!(await staffExists(tx, ctx.tenantId, input.executorId))) {
    throw new DomainError('rule', 'STAFF_NOT_FOUND', '执行人不存在', [{ path: 'body.executorId', message: '员工不存在' }]);
  }
  if (course.expiresOn && course.expiresOn < ctx.today) {
    throw new DomainError('rule', 'COURSE_EXPIRED', `疗程「${course.name}」已于 ${course.expiresOn} 过期，不能划扣`);
  }
  const remaining = remainingOf(item);
  if (remaining <= 0) throw new DomainError('rule', 'COURSE_EXHAUSTED', `「${item.name}」已无剩余次数`);
  if (input.sessions > remaining)
    throw new DomainError('rule', 'COURSE_INSUFFICIENT', `「${item.name}」仅剩 ${remaining} 次，不能划扣 ${input.sessions} 次`, [
      { path: 'body.sessions', message: `最多 ${remaining} 次` },
    ]);
  const shares =
    input.attribution && input.attribution.length > 0 ? input.attribution : [{ staffId: input.executorId, role: 'executor' as const, ratioPercent: 100 }];
  const problem = attributionProblem(shares);
  if (problem) throw new DomainError('invalid', 'ATTRIBUTION_INVALID', problem, [{ path: 'body.attribution', message: problem }]);
  for (const [index, share] of shares.entries()) {
    if (!(await staffExists(tx, ctx.tenantId, share.staffId)))
      throw new DomainError('rule', 'STAFF_NOT_FOUND', '业绩归属的员工不存在', [{ path: `body.attribution.${index}.staffId`, message: '员工不存在' }]);
  }
  const valueFen = valueOfSessions(item, item.usedSessions, input.sessions);
  const deduction = {
    tenantId: ctx.tenantId,
    id: newId(),
    courseId: course.id,
    courseItemId: item.id,
    customerId: course.customerId,
    storeId: input.storeId,
    sessions: input.sessions,
    valueFen,
    executorId: input.executorId,
    visitId: input.visitId ?? null,
    note: input.note ?? null,
    businessDate: ctx.today,
    createdBy: ctx.actor.id,
    createdAt: ctx.now,
  };
  await tx.insert(deductions).values(deduction);
  await tx
    .update(courseItems)
    .set({ usedSessions: item.usedSessions + input.sessions })
    .where(and(eq(courseItems.tenantId, ctx.tenantId), eq(courseItems.id, item.id)));
  await tx
    .insert(performanceCredits)
    .values(creditRows(ctx, { type: 'deduction', id: deduction.id, orderId: course.orderId, storeId: input.storeId }, splitAttribution(valueFen, shares)));
  await applyDeductionFacts(tx, ctx, { deductionId: deduction.id });
  await refreshConsumptionTags(tx, ctx, course.customerId);
  await writeAudit(tx, ctx.actor, { action: 'course.deduct', entityType: 'deduction', entityId: deduction.id, after: deduction });
  return deduction.id;
};

/** 撤销划扣: the sessions come back; the credits are reversed; the original stays, named by the reversal. */
export const reverseDeduction = async (tx: Executor, ctx: Ctx, deductionId: string, input: { reasonCode: string; note?: string | null }) => {
  const [original] = await tx
    .select()
    .from(deductions)
    .where(and(eq(deductions.tenantId, ctx.tenantId), eq(deductions.id, deductionId)));
  if (!original) throw notFound('划扣记录', 'DEDUCTION_NOT_FOUND');
  assertStoreAccess(ctx, original.storeId);
  await assertDayOpen(tx, ctx, original.storeId, { allowClosedStore: true });
  if (original.reversesId) throw new DomainError('rule', 'DEDUCTION_NOT_REVERSIBLE', '撤销记录不能再撤销');
  const [item] = await tx
    .select()
    .from(courseItems)
    .where(and(eq(courseItems.tenantId, ctx.tenantId), eq(courseItems.id, original.courseItemId)))
    .for('update');
  if (!item) throw notFound('疗程项目', 'COURSE_ITEM_NOT_FOUND');
  const [already] = await tx
    .select({ id: deductions.id })
    .from(deductions)
    .where(and(eq(deductions.tenantId, ctx.tenantId), eq(deductions.reversesId, deductionId)));
  if (already) throw new DomainError('conflict', 'DEDUCTION_ALREADY_REVERSED', '该划扣已撤销');
  const reversal = {
    tenantId: ctx.tenantId,
    id: newId(),
    courseId: original.courseId,
    courseItemId: original.courseItemId,
    customerId: original.customerId,
    storeId: original.storeId,
    sessions: -original.sessions,
    valueFen: -original.valueFen,
    executorId: original.executorId,
    visitId: original.visitId,
    reversesId: original.id,
    reasonCode: input.reasonCode,
    note: input.note ?? null,
    businessDate: ctx.today,
    createdBy: ctx.actor.id,
    createdAt: ctx.now,
  };
  await tx.insert(deductions).values(reversal);
  await tx
    .update(courseItems)
    .set({ usedSessions: item.usedSessions - original.sessions })
    .where(and(eq(courseItems.tenantId, ctx.tenantId), eq(courseItems.id, item.id)));
  const credits = await tx
    .select()
    .from(performanceCredits)
    .where(and(eq(performanceCredits.tenantId, ctx.tenantId), eq(performanceCredits.sourceType, 'deduction'), eq(performanceCredits.sourceId, original.id)));
  if (credits.length > 0) {
    await tx.insert(performanceCredits).values(
      credits.map((credit) => ({
        ...credit,
        id: newId(),
        sourceType: 'deduction_reversal',
        sourceId: reversal.id,
        amountFen: -credit.amountFen,
        businessDate: ctx.today,
        createdAt: ctx.now,
      })),
    );
  }
  await applyDeductionFacts(tx, ctx, { deductionId: original.id });
  await refreshConsumptionTags(tx, ctx, original.customerId);
  await writeAudit(tx, ctx.actor, { action: 'course.deduction.reverse', entityType: 'deduction', entityId: original.id, before: original, after: reversal });
  return reversal.id;
};

export const listCourses = async (tx: Executor, ctx: Pick<Ctx, 'tenantId' | 'today'>, customerId: string) => {
  const courseRows = await tx
    .select({ course: courses, orderNumber: orders.number })
    .from(courses)
    .innerJoin(orders, and(eq(orders.tenantId, courses.tenantId), eq(orders.id, courses.orderId)))
    .where(and(eq(courses.tenantId, ctx.tenantId), eq(courses.customerId, customerId)))
    .orderBy(desc(courses.createdAt));
  const ids = courseRows.map((row) => row.course.id);
  const itemRows = ids.length
    ? await tx
        .select()
        .from(courseItems)
        .where(and(eq(courseItems.tenantId, ctx.tenantId), inArray(courseItems.courseId, ids)))
        .orderBy(asc(courseItems.name))
    : [];
  return courseRows.map(({ course, orderNumber }) => {
    const itemsOfCourse = itemRows.filter((item) => item.courseId === course.id);
    const remaining = itemsOfCourse.reduce((sum, item) => sum + remainingOf(item), 0);
    return {
      id: course.id,
      customerId: course.customerId,
      orderId: course.orderId,
      orderNumber,
      name: course.name,
      expiresOn: course.expiresOn,
      isExpired: Boolean(course.expiresOn && course.expiresOn < ctx.today),
      isFinished: remaining === 0,
      items: itemsOfCourse.map((item) => ({
        id: item.id,
        itemId: item.itemId,
        name: item.name,
        totalSessions: item.totalSessions,
        usedSessions: item.usedSessions,
        refundedSessions: item.refundedSessions,
        remainingSessions: remainingOf(item),
        valueFen: item.valueFen,
        remainingValueFen: valueOfSessions(item, item.usedSessions, remainingOf(item)),
      })),
      createdAt: course.createdAt.toISOString(),
    };
  });
};

export const listDeductions = async (
  tx: Executor,
  tenantId: string,
  filter: { id?: string; customerId?: string; storeId?: string; storeIds?: readonly string[]; businessDate?: string },
  limit = 200,
) => {
  const reversal = sql<boolean>`exists (select 1 from ${deductions} as r where r.tenant_id = ${deductions.tenantId} and r.reverses_id = ${deductions.id})`;
  const rows = await tx
    .select({ deduction: deductions, courseName: courses.name, itemName: courseItems.name, isReversed: reversal })
    .from(deductions)
    .innerJoin(courses, and(eq(courses.tenantId, deductions.tenantId), eq(courses.id, deductions.courseId)))
    .innerJoin(courseItems, and(eq(courseItems.tenantId, deductions.tenantId), eq(courseItems.id, deductions.courseItemId)))
    .where(
      and(
        eq(deductions.tenantId, tenantId),
        filter.id ? eq(deductions.id, filter.id) : undefined,
        filter.customerId ? eq(deductions.customerId, filter.customerId) : undefined,
        filter.storeId ? eq(deductions.storeId, filter.storeId) : undefined,
        filter.storeIds ? inArray(deductions.storeId, [...filter.storeIds]) : undefined,
        filter.businessDate ? eq(deductions.businessDate, filter.businessDate) : undefined,
      ),
    )
    .orderBy(desc(deductions.createdAt), desc(deductions.id))
    .limit(limit);
  const names = await staffNames(
    tx,
    tenantId,
    rows.flatMap((row) => (row.deduction.executorId ? [row.deduction.executorId] : [])),
  );
  return rows.map(({ deduction, courseName, itemName, isReversed }) => ({
    id: deduction.id,
    courseId: deduction.courseId,
    courseItemId: deduction.courseItemId,
    courseName,
    itemName,
    customerId: deduction.customerId,
    storeId: deduction.storeId,
    sessions: deduction.sessions,
    valueFen: deduction.valueFen,
    executorId: deduction.executorId,
    executorName: deduction.executorId ? (names.get(deduction.executorId) ?? null) : null,
    reversesId: deduction.reversesId,
    isReversed: Boolean(isReversed),
    reasonCode: deduction.reasonCode,
    note: deduction.note,
    businessDate: deduction.businessDate,
    createdAt: deduction.createdAt.toISOString(),
  }));
};

/** What the visit-type proposal needs from courses: a running course, and the last treatment. */
export const courseFacts = async (tx: Executor, tenantId: string, customerId: string, today: string) => {
  const [active] = await queryRows<{ has_active: boolean }>(
    tx,
    sql`select exists (
          select 1 from ${courseItems} ci join ${courses} c on c.tenant_id = ci.tenant_id and c.id = ci.course_id
          where c.tenant_id = ${tenantId} and c.customer_id = ${customerId}
            and (c.expires_on is null or c.expires_on >= ${today}::date)
            and ci.total_sessions - ci.used_sessions - ci.refunded_sessions > 0) as has_active`,
  );
  const [last] = await tx
    .select({ businessDate: deductions.businessDate })
    .from(deductions)
    .where(
      and(
        eq(deductions.tenantId, tenantId),
        eq(deductions.customerId, customerId),
        isNull(deductions.reversesId),
        sql`not exists (select 1 from ${deductions} as r where r.tenant_id = ${deductions.tenantId} and r.reverses_id = ${deductions.id})`,
      ),
    )
    .orderBy(desc(deductions.businessDate))
    .limit(1);
  return { hasActiveCourse: Boolean(active?.has_active), daysSinceLastTreatment: last ? daysBetween(last.businessDate, today) : null };
};

export const getDeductionView = async (tx: Executor, tenantId: string, id: string) => {
  const [view] = await listDeductions(tx, tenantId, { id }, 1);
  if (!view) throw notFound('划扣记录', 'DEDUCTION_NOT_FOUND');
  return view;
};
