import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, tapStatements } from '../db/client.js';
import type { App } from '../platform/http.js';
import { apiAs, buildTestApp, createTestTenant, loginAs, openTestDatabase, randomMobile, type TestTenant } from '../testing/database.js';

/**
 * How many statements a checkout costs: counted from the statement tap while one request runs.
 * An ordinary order (one item, one payment, points earned, the tier weighed) takes at most 25
 * from the idempotency claim to the stored response (the customer's facts are one statement,
 * her tier window's figures one, the order it answers with one), its quote at most 10. The
 * budget fails on any statement past it.
 */
const placeBudget = 25;
let database: Database;
let app: App;
let clinic: TestTenant;
let api: ReturnType<typeof apiAs>;

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildTestApp(database);
  clinic = await createTestTenant(database);
  api = apiAs(app, await loginAs(app, clinic, 'owner'));
});

afterAll(async () => {
  await app.close();
  await database.close();
});

const counted = async <T>(run: () => Promise<T>) => {
  const statements: string[] = [];
  const stop = tapStatements((text) => statements.push(text));
  try {
    const result = await run();
    return { result, statements };
  } finally {
    stop();
  }
};

/**
 * The statements inside the request's transaction: from the idempotency key's claim (the first
 * statement after BEGIN) to the stored response (the last before COMMIT). The session check
 * before it and the order number taken before BEGIN hold no lock through the checkout.
 */
const inTransaction = (statements: string[]) => {
  const first = statements.findIndex((text) => text.includes('idempotency_keys'));
  const last = statements.findLastIndex((text) => text.includes('idempotency_keys'));
  return statements.slice(first, last + 1).filter((text) => !/^(begin|commit)/i.test(text.trim()));
};

describe('statements per checkout', () => {
  it(`an ordinary order: at most 10 for the quote, at most ${placeBudget} from BEGIN to COMMIT to place it`, async () => {
    // Tiers the checkout weighs (her tier row locked, her window's figures, the row updated).
    for (const [name, growth] of [
      ['计数会员', null],
      ['计数金卡', 500_000],
    ] as const) {
      const created = await api.post('/membership/tiers', {
        name,
        description: '消费满额可升级。',
        criteria: { match: 'any', growth, consumptionFen: null, visits: null, topUpFen: null },
        retention: 'down_one',
        benefits: {
          categoryDiscounts: [],
          pointsBasisPoints: 10_000,
          birthday: null,
          isPriorityBooking: false,
          hasDedicatedConsultant: false,
          upgradeGifts: [],
        },
      });
      expect(created.statusCode).toBe(201);
    }
    const customer = (await api.post('/customers', { name: '计数客户', gender: 'female', phone: randomMobile() })).json();
    const item = (await api.post('/items', { kind: 'service', name: '计数水光', priceFen: 68_000 })).json();
    // A first order warms what a clinic has warmed by then (the points account, the sequence row).
    const first = await api.post('/orders', {
      storeId: clinic.storeIds[0],
      customerId: customer.id,
      lines: [{ itemId: item.id, quantity: 1 }],
      payments: [{ method: 'wechat', amountFen: 68_000 }],
    });
    expect(first.statusCode).toBe(201);
    const lines = [{ itemId: item.id, quantity: 1 }];
    const pointsBefore = (await api.get(`/customers/${customer.id}/points`)).json();
    const quote = await counted(() => api.post('/orders/quote', { storeId: clinic.storeIds[0], customerId: customer.id, lines }));
    expect(quote.result.statusCode).toBe(200);
    const place = await counted(() =>
      api.post('/orders', {
        storeId: clinic.storeIds[0],
        customerId: customer.id,
        lines,
        expectedTotalFen: quote.result.json().orderTotalFen,
        payments: [{ method: 'wechat', amountFen: quote.result.json().orderTotalFen }],
      }),
    );
    expect(place.result.statusCode).toBe(201);
    expect(place.result.json().status).toBe('placed');
    // Points earned: the counted checkout is the ordinary one, not a cheaper path.
    const pointsAfter = (await api.get(`/customers/${customer.id}/points`)).json();
    expect(pointsAfter.balance).toBeGreaterThan(pointsBefore.balance);
    const placing = inTransaction(place.statements);
    // The day's order number is taken before the transaction opens, in a statement of its own.
    const numbered = place.statements.findIndex((text) => text.includes('order_number_sequences'));
    expect(numbered).toBeGreaterThanOrEqual(0);
    expect(numbered).toBeLessThan(place.statements.findIndex((text) => text.includes('idempotency_keys')));
    if (process.env.SHOW_STATEMENTS) console.log(placing.map((text) => text.slice(0, 160)).join('\n'));
    expect(quote.statements.length).toBeLessThanOrEqual(10);
    expect(placing.length).toBeLessThanOrEqual(placeBudget);
  });
});
