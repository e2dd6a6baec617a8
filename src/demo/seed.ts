import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { createClinic } from '../flows/create-clinic.js';
import { registerCustomer } from '../flows/register-customer.js';
import type { CustomerInput } from '../modules/customers/index.js';
import { customers, linkFamilyMember } from '../modules/customers/index.js';
import { createStaffUser } from '../modules/staff/index.js';
import { findTenantByCode } from '../modules/tenants/index.js';
import { systemActor } from '../platform/audit.js';
import { makeCtx } from '../platform/context.js';
import type { Role } from '../platform/permissions.js';
import { seedCards } from './cards.js';
import { seedDemoCallCampaign, seedDemoFollowups } from './followups.js';
import { finishTiers, seedTiers } from './membership.js';
import { seedDemoCampaigns, seedDemoCareSeries, seedDemoConsents } from './messaging.js';
import { seedOperations } from './operations.js';
import { finishDemoReferrals, prepareDemoReferrals } from './referrals.js';
import { seedVoucherDistributions } from './voucher-distributions.js';

export const demoTenantCode = 'demo';
export const demoPassword = 'demo123456';

export const demoStaff: { username: string; displayName: string; role: Role; store?: 0 | 1 }[] = [
  { username: 'owner', displayName: '林悦', role: 'owner' },
  { username: 'manager', displayName: '周静', role: 'store_manager', store: 0 },
  { username: 'frontdesk', displayName: '陈晓', role: 'front_desk', store: 0 },
  { username: 'consultant', displayName: '王雅', role: 'consultant' },
  { username: 'consultant2', displayName: '曾蕾', role: 'consultant', store: 1 },
  { username: 'doctor', displayName: '李明', role: 'doctor_nurse' },
  { username: 'marketing', displayName: '赵琳', role: 'marketing' },
];

/** A small deterministic generator, so every fresh demo clinic looks the same. */
const randomSource = (seed: number) => {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const chance = (probability: number) => next() < probability;
  return { next, int, pick, chance };
};

// Common surnames, including ones read differently as surnames (曾 zēng, 单 shàn, 解 xiè, 仇 qiú, 区 ōu, 查 zhā).
const surnames =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余于杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴莫孔向汤单解仇区查欧阳';
const femaleGiven = [
  '雅婷',
  '欣怡',
  '梓涵',
  '诗琪',
  '婉清',
  '思雨',
  '佳怡',
  '子涵',
  '晓燕',
  '丽娜',
  '静怡',
  '慧敏',
  '美玲',
  '秀英',
  '雪梅',
  '海燕',
  '婷婷',
  '倩',
  '敏',
  '莉',
  '艳',
  '芳',
  '娟',
  '璐',
  '瑶',
  '琳',
  '颖',
  '若曦',
  '紫萱',
  '梦瑶',
  '一诺',
  '晓彤',
  '嘉怡',
  '心怡',
  '语嫣',
  '乐瑶',
  '可馨',
  '书瑶',
  '映雪',
  '曼丽',
];
const maleGiven = ['浩然', '子轩', '俊杰', '伟', '强', '磊', '军', '志强', '建华', '明轩', '宇航', '博文', '天佑', '家乐', '文博'];
const phonePrefixes = [
  '130',
  '131',
  '132',
  '133',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '155',
  '156',
  '157',
  '158',
  '159',
  '176',
  '177',
  '180',
  '181',
  '182',
  '183',
  '186',
  '187',
  '188',
  '189',
  '198',
  '199',
];
const staticTags = ['VIP', '怕疼', '偏好注射', '偏好手术', '价格敏感', '学生', '宝妈', '白领', '老客户', '朋友圈活跃', '敏感肌', '高净值'];
const allergens = ['青霉素', '利多卡因', '头孢', '海鲜', '酒精', '乳胶', '花粉', '透明质酸酶'];
const channels = ['walk_in', 'meituan', 'douyin', 'xiaohongshu', 'wechat', 'ads', 'event', 'other'] as const;
const relations = ['配偶', '女儿', '母亲', '姐妹', '儿子', '父亲'];

const pad = (value: number) => String(value).padStart(2, '0');

/** Builds the demo clinic chain when the database has none: 2 stores, staff per role, ~300 customers and two years of their visits, orders and courses. */
export const seedDemo = async (db: Db, options: { customerCount?: number } = {}): Promise<{ created: boolean; tenantId: string }> => {
  const existing = await findTenantByCode(db, demoTenantCode);
  if (existing) return { created: false, tenantId: existing.id };
  const random = randomSource(20261123);
  const total = options.customerCount ?? 300;

  const now = Date.now();
  const tenantId = await db.transaction(async (tx) => {
    // The clinic as the setup page creates it; its tiers (the default 普通会员 first) come with the replayed history, and points are on.
    const { tenant, stores: storeRows } = await createClinic(tx, {
      code: demoTenantCode,
      name: '悦会医美（演示）',
      timezone: 'Asia/Shanghai',
      stores: [
        { name: '静安旗舰店', address: '上海市静安区南京西路 1266 号', phone: '021-62880000' },
        { name: '徐汇店', address: '上海市徐汇区漕溪北路 398 号', phone: '021-64870000' },
      ],
      now: new Date(now),
      defaults: { isTierCreated: false, isPointsEnabled: true },
    });
    const actor = systemActor(tenant.id);
    const staff = [];
    for (const member of demoStaff) {
      const store = member.store === undefined ? null : storeRows[member.store];
      staff.push(await createStaffUser(tx, actor, { ...member, password: demoPassword, storeIds: store ? [store.id] : null }));
    }
    const consultants = staff.filter((member) => member.role === 'consultant');

    const usedPhones = new Set<string>();
    const created: { id: string; createdAt: Date; consultantId: string | null }[] = [];
    for (let index = 0; index < total; index++) {
      const isFemale = random.chance(0.86);
      const surname = random.chance(0.02) ? '欧阳' : random.pick([...surnames.replace('欧阳', '')]);
      const name = surname + random.pick(isFemale ? femaleGiven : maleGiven);
      let phone = '';
      do phone = random.pick(phonePrefixes) + String(random.int(0, 99_999_999)).padStart(8, '0');
      while (usedPhones.has(phone));
      usedPhones.add(phone);
      const year = random.int(1968, 2004);
      const month = random.int(1, 12);
      const day = random.int(1, 28);
      const referrer = created.length > 20 && random.chance(0.18) ? random.pick(created) : undefined;
      const input: CustomerInput = {
        name,
        gender: isFemale ? 'female' : 'male',
        phone,
        birthday: random.chance(0.08)
          ? null
          : random.chance(0.22)
            ? { calendar: 'lunar', year, month, day, isLeapMonth: false }
            : { calendar: 'solar', date: `${year}-${pad(month)}-${pad(day)}` },
        sourceChannel: referrer ? 'referral' : random.pick(channels),
        consultantId: consultants.length > 0 && random.chance(0.8) ? random.pick(consultants).id : null,
        referrerId: referrer?.id ?? null,
        firstStoreId: random.chance(0.62) ? storeRows[0]?.id : storeRows[1]?.id,
        notes: random.chance(0.1) ? '希望改善法令纹，预算中等，周末到店方便。' : null,
        tags: [...new Set(Array.from({ length: random.int(0, 3) }, () => random.pick(staticTags)))],
        allergies: random.chance(0.1) ? [...new Set(Array.from({ length: random.int(1, 2) }, () => random.pick(allergens)))] : [],
      };
      const row = await registerCustomer(tx, makeCtx(actor, new Date(), tenant.timezone), input);
      // Spread sign-ups over the last two years so lists and reports look lived-in.
      const createdAt = new Date(now - Math.floor(((total - index) / total) * 730 * 86_400_000) - random.int(0, 86_400_000));
      await tx.update(customers).set({ createdAt, updatedAt: createdAt }).where(sql`${customers.tenantId} = ${tenant.id} and ${customers.id} = ${row.id}`);
      created.push({ id: row.id, createdAt, consultantId: row.consultantId });
    }

    // About 25 families of 2–4 people.
    const pool = [...created];
    for (let family = 0; family < 25 && pool.length > 4; family++) {
      const head = pool.splice(random.int(0, pool.length - 1), 1)[0];
      const size = random.int(1, 3);
      for (let member = 0; member < size && head; member++) {
        const relative = pool.splice(random.int(0, pool.length - 1), 1)[0];
        if (relative) await linkFamilyMember(tx, actor, head.id, relative.id, random.pick(relations));
      }
    }
    await prepareDemoReferrals(tx, { tenantId: tenant.id });
    await seedTiers(tx, { tenantId: tenant.id, now });
    await seedOperations(tx, {
      tenantId: tenant.id,
      storeIds: storeRows.map((store) => store.id),
      staff: staff.map((member) => ({ id: member.id, role: member.role, username: member.username })),
      customers: created,
      random,
      now,
    });
    await finishTiers(tx, { tenantId: tenant.id, now });
    await seedCards(tx, {
      tenantId: tenant.id,
      storeIds: storeRows.map((store) => store.id),
      staff: staff.map((member) => ({ id: member.id, role: member.role })),
      customers: created,
      random,
      now,
    });
    await finishDemoReferrals(tx, { tenantId: tenant.id, now });
    await seedDemoConsents(tx, { tenantId: tenant.id, customers: created, now: new Date(now) });
    await seedDemoCampaigns(tx, {
      tenantId: tenant.id,
      timezone: tenant.timezone,
      ownerId: staff.find((member) => member.role === 'owner')?.id ?? null,
      now: new Date(now),
    });
    await seedDemoFollowups(tx, { tenantId: tenant.id, timezone: tenant.timezone, now: new Date(now) });
    await seedDemoCallCampaign(tx, {
      tenantId: tenant.id,
      timezone: tenant.timezone,
      now: new Date(now),
      staff: staff.map((member) => ({ id: member.id, role: member.role })),
    });
    await seedVoucherDistributions(tx, {
      tenantId: tenant.id,
      storeIds: storeRows.map((store) => store.id),
      staff: staff.map((member) => ({ id: member.id, role: member.role })),
      customers: created,
      random,
      now,
    });
    return tenant.id;
  });
  // After the clinic is committed: the care series' last week goes through the dispatcher, which opens its own transactions.
  await seedDemoCareSeries(db, { tenantId, timezone: 'Asia/Shanghai', now: new Date(now) });
  return { created: true, tenantId };
};
