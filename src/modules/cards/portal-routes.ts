import { z } from 'zod';
import { businessDate } from '../../platform/clock.js';
import type { Deps } from '../../platform/deps.js';
import { type App, errorResponses, memberOf } from '../../platform/http.js';
import { listCustomerCards } from './customer-cards.js';
import { storedValueOverview } from './queries.js';

const tags = ['Member portal'];

/** What a customer reads in her stored-value history: never an internal code. */
const titleOf = (type: string) => ({ top_up: '充值', spend: '储值消费', refund: '储值退款', reverse: '退回储值', adjust: '门店调整' })[type] ?? '储值变动';

/** Registered in the portal's scope (/api/portal/v1), after its auth hook. */
export const cardPortalRoutes = (app: App, { db, clock }: Deps) => {
  app.get(
    '/stored-value',
    {
      schema: {
        tags,
        summary: 'My stored value: principal and bonus, and history',
        response: {
          200: z.object({
            principalFen: z.number().int(),
            bonusFen: z.number().int(),
            balanceFen: z.number().int(),
            history: z.array(
              z.object({
                id: z.uuid(),
                title: z.string(),
                principalFen: z.number().int(),
                bonusFen: z.number().int(),
                balanceAfterFen: z.number().int(),
                createdAt: z.string(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const member = memberOf(req);
      const overview = await storedValueOverview(db, member.tenantId, member.customerId, { entryLimit: 50 });
      return {
        principalFen: overview.principalFen,
        bonusFen: overview.bonusFen,
        balanceFen: overview.balanceFen,
        history: overview.entries.map((entry) => ({
          id: entry.id,
          title: titleOf(entry.type),
          principalFen: entry.principalFen,
          bonusFen: entry.bonusFen,
          balanceAfterFen: entry.balanceAfterFen,
          createdAt: entry.createdAt,
        })),
      };
    },
  );

  app.get(
    '/cards',
    {
      schema: {
        tags,
        summary: 'My cards: my own and family cards I am on, with the family members on each',
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.uuid(),
                name: z.string(),
                isOwner: z.boolean(),
                ownerName: z.string(),
                validTo: z.string().nullable(),
                isValid: z.boolean(),
                familyLimit: z.number().int(),
                members: z.array(z.object({ name: z.string(), relation: z.string().nullable() })),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const member = memberOf(req);
      const today = businessDate(clock.now(), member.timezone, member.dayStart);
      const cards = await listCustomerCards(db, { tenantId: member.tenantId, today }, member.customerId);
      return {
        items: cards
          .filter((card) => card.status === 'active')
          .map((card) => ({
            id: card.id,
            name: card.name,
            isOwner: card.isOwner,
            ownerName: card.ownerName,
            validTo: card.validTo,
            isValid: card.isValid,
            familyLimit: card.familyLimit,
            // Names only: a dependant sees who shares the card, never their phone numbers.
            members: card.members.filter((row) => !row.removedAt).map((row) => ({ name: row.name, relation: row.relation })),
          })),
      };
    },
  );
};
