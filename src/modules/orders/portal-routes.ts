import { z } from 'zod';
import type { Deps } from '../../platform/deps.js';
import { type App, errorResponses, memberCtx, memberOf } from '../../platform/http.js';
import { listStores } from '../tenants/index.js';
import { listCourses, listDeductions } from './courses.js';
import { listOrders } from './queries.js';
import { ZOrderStatus } from './schemas.js';

const tags = ['Member portal'];

const ZPortalCourse = z
  .object({
    id: z.uuid(),
    name: z.string(),
    orderNumber: z.string(),
    expiresOn: z.string().nullable(),
    isExpired: z.boolean(),
    isFinished: z.boolean(),
    items: z.array(z.object({ name: z.string(), totalSessions: z.number().int(), usedSessions: z.number().int(), remainingSessions: z.number().int() })),
    history: z.array(
      z.object({
        id: z.uuid(),
        itemName: z.string(),
        sessions: z.number().int().describe('Negative for a deduction given back'),
        storeName: z.string(),
        businessDate: z.string(),
        isReversed: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'PortalCourse' });

const ZPortalOrder = z
  .object({
    id: z.uuid(),
    number: z.string(),
    storeName: z.string(),
    status: ZOrderStatus,
    businessDate: z.string(),
    placedAt: z.string().nullable(),
    itemNames: z.array(z.string()),
    totalFen: z.number().int(),
    paidFen: z.number().int(),
    arrearsFen: z.number().int(),
    refundedFen: z.number().int(),
  })
  .meta({ id: 'PortalOrder' });

/**
 * The member's own courses and orders (SPEC §18): sessions left with their history, and her
 * orders, newest first. Registered in the portal's scope (/api/portal/v1), after its hook.
 */
export const orderPortalRoutes = (app: App, { db, clock }: Deps) => {
  app.get(
    '/courses',
    {
      schema: {
        tags,
        summary: 'My courses: sessions left per item, and each 划扣 with its store and day',
        response: { 200: z.object({ items: z.array(ZPortalCourse) }), ...errorResponses },
      },
    },
    async (req) => {
      const member = memberOf(req);
      const ctx = memberCtx(member, clock.now());
      const courses = await listCourses(db, ctx, member.customerId);
      const deductions = await listDeductions(db, member.tenantId, { customerId: member.customerId }, 1_000);
      const storeNames = new Map((await listStores(db, member.tenantId)).map((store) => [store.id, store.name]));
      return {
        items: courses.map((course) => ({
          id: course.id,
          name: course.name,
          orderNumber: course.orderNumber,
          expiresOn: course.expiresOn,
          isExpired: course.isExpired,
          isFinished: course.isFinished,
          items: course.items.map(({ name, totalSessions, usedSessions, remainingSessions }) => ({ name, totalSessions, usedSessions, remainingSessions })),
          history: deductions
            .filter((deduction) => deduction.courseId === course.id)
            .map((deduction) => ({
              id: deduction.id,
              itemName: deduction.itemName,
              sessions: deduction.reversesId ? -deduction.sessions : deduction.sessions,
              storeName: storeNames.get(deduction.storeId) ?? '',
              businessDate: deduction.businessDate,
              isReversed: deduction.isReversed,
            })),
        })),
      };
    },
  );

  app.get(
    '/orders',
    {
      schema: {
        tags,
        summary: 'My orders, newest first (not those voided before payment)',
        querystring: z.strictObject({ page: z.coerce.number().int().min(1).max(10_000).default(1) }),
        response: { 200: z.object({ items: z.array(ZPortalOrder), total: z.number().int() }), ...errorResponses },
      },
    },
    async (req) => {
      const member = memberOf(req);
      const page = await listOrders(db, member.tenantId, { customerId: member.customerId, excludeVoided: true, page: req.query.page, pageSize: 20 });
      return {
        total: page.total,
        items: page.items.map((order) => ({
          id: order.id,
          number: order.number,
          storeName: order.storeName,
          status: order.status,
          businessDate: order.businessDate,
          placedAt: order.placedAt,
          itemNames: order.itemNames,
          totalFen: order.totalFen,
          paidFen: order.paidFen,
          arrearsFen: order.arrearsFen,
          refundedFen: order.refundedFen,
        })),
      };
    },
  );
};
