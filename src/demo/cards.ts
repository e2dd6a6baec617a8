import type { Tx } from '../db/client.js';
import { openOrder } from '../flows/checkout.js';
import { addCardMember, createCardProduct, listCustomerCards } from '../modules/cards/index.js';
import { listCategories, listItems } from '../modules/catalog/index.js';
import type { Actor } from '../platform/audit.js';
import { makeCtx } from '../platform/context.js';
import { DomainError } from '../platform/errors.js';

type Random = { int: (min: number, max: number) => number; pick: <T>(items: readonly T[]) => T; chance: (probability: number) => boolean };

const day = 86_400_000;

/**
 * The demo clinic's card products (卡项) and their use: stored-value cards with bonus, the ¥199
 * family dental card of seed 004 with dependants on it, and some top-ups spent at the desk.
 */
export const seedCards = async (
  tx: Tx,
  input: { tenantId: string; storeIds: string[]; staff: { id: string; role: string }[]; customers: { id: string }[]; random: Random; now: number },
) => {
  const { tenantId, random, now } = input;
  const manager = input.staff.find((member) => member.role === 'store_manager');
  const desk = input.staff.find((member) => member.role === 'front_desk');
  const actorOf = (id: string | undefined): Actor => ({ tenantId, type: 'staff', id: id ?? null });
  const categories = await listCategories(tx, tenantId);
  const dental = categories.find((category) => category.name === '口腔');
  const family = await createCardProduct(tx, actorOf(manager?.id), {
    kind: 'membership',
    name: '家庭口腔会员卡',
    description: '一人办卡，全家最多 8 人共享：口腔项目 8 折，赠补牙代金券 ¥200。',
    priceFen: 19_900,
    validity: 'annual',
    familyLimit: 8,
    discountRules: dental ? [{ categoryId: dental.id, discountBasisPoints: 2_000 }] : [],
    bundledVouchers: [{ name: '补牙代金券', faceValueFen: 20_000, quantity: 1, categoryIds: dental ? [dental.id] : [] }],
    memberLimits: { usesPerMember: null, period: 'year' },
    terms: '有效期一年，自购卡之日起计算；家庭成员须为本店登记客户。',
  });
  const storedValue = [
    await createCardProduct(tx, actorOf(manager?.id), {
      kind: 'stored_value',
      name: '储值 ¥2,980 送 ¥300',
      priceFen: 298_000,
      bonusFen: 30_000,
      terms: '储值本金可退未使用部分，赠送金额不退。',
    }),
    await createCardProduct(tx, actorOf(manager?.id), { kind: 'stored_value', name: '储值 ¥1,000 送 ¥80', priceFen: 100_000, bonusFen: 8_000 }),
  ];
  const [course] = (await listItems(tx, tenantId, { q: '水光三次', page: 1, pageSize: 1 })).items;
  if (course) await createCardProduct(tx, actorOf(manager?.id), { kind: 'course', name: course.name, itemId: course.id });

  const store = input.storeIds[0];
  if (!store) return;
  const pool = [...input.customers].slice(-120);
  const take = () => pool.splice(random.int(0, pool.length - 1), 1)[0];
  const attempt = async (work: () => Promise<unknown>) => {
    try {
      // In a savepoint: a refusal thrown halfway (stored value short after the order row is
      // written) must leave nothing behind, or the ledgers disagree with their payments.
      await tx.transaction(work);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
  };
  // Top-ups a few weeks back, some spent since.
  for (let index = 0; index < 12; index++) {
    const customer = take();
    if (!customer) break;
    const product = random.pick(storedValue);
    const at = now - random.int(10, 60) * day;
    await attempt(() =>
      openOrder(tx, makeCtx(actorOf(desk?.id), new Date(at), 'Asia/Shanghai'), {
        storeId: store,
        customerId: customer.id,
        lines: [{ itemId: product.itemId, quantity: 1 }],
        payments: [{ method: random.pick(['wechat', 'alipay', 'bank_card', 'cash'] as const), amountFen: product.priceFen }],
      }),
    );
    if (random.chance(0.6)) {
      const [service] = (await listItems(tx, tenantId, { q: random.pick(['光子嫩肤', '水光针', '小气泡清洁']), page: 1, pageSize: 1 })).items;
      if (service)
        await attempt(() =>
          openOrder(tx, makeCtx(actorOf(desk?.id), new Date(at + random.int(1, 9) * day), 'Asia/Shanghai'), {
            storeId: store,
            customerId: customer.id,
            lines: [{ itemId: service.id, quantity: 1 }],
            payments: [{ method: 'stored_value', amountFen: service.priceFen }],
          }),
        );
    }
  }
  // Two families on the ¥199 card: the owner and two or three dependants each.
  for (let index = 0; index < 2; index++) {
    const owner = take();
    if (!owner) break;
    const ctx = makeCtx(actorOf(desk?.id), new Date(now - random.int(5, 40) * day), 'Asia/Shanghai');
    await openOrder(tx, ctx, {
      storeId: store,
      customerId: owner.id,
      lines: [{ itemId: family.itemId, quantity: 1 }],
      payments: [{ method: 'wechat', amountFen: family.priceFen }],
    });
    const [card] = await listCustomerCards(tx, ctx, owner.id);
    for (let member = 0; member < random.int(2, 3) && card; member++) {
      const dependant = take();
      if (dependant) await addCardMember(tx, ctx, { cardId: card.id, customerId: dependant.id, relation: random.pick(['配偶', '女儿', '儿子', '母亲']) });
    }
  }
};
