import { and, asc, count, desc, eq, type SQL, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../db/client.js';
import { type Actor, writeAudit } from '../../platform/audit.js';
import { addDays, type BusinessDate } from '../../platform/clock.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError, type ErrorDetail, mapConstraintError, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { lunarDateProblem, lunarLabel, lunarToSolar, solarToLunar } from '../../platform/lunar.js';
import { maskMobile } from '../../platform/phone.js';
import { pinyinKeys } from '../../platform/pinyin.js';
import { putScoped } from '../../platform/tx-scope.js';
import { staffExists, staffUsers } from '../staff/index.js';
import { storeExists, stores } from '../tenants/index.js';
import type { CustomerInput, CustomerListQuery, CustomerPatch, CustomerView, UpcomingReason } from './schemas.js';
import { customers, families } from './tables.js';

export type CustomerRow = typeof customers.$inferSelect;

/** Largest family group; family cards share within a family (default card limit 8, SPEC §7). */
export const maxFamilySize = 20;

const phoneTaken = (phone: string) => new DomainError('conflict', 'CUSTOMER_PHONE_TAKEN', `手机号 ${maskMobile(phone)} 已登记给另一位客户`);

const byTenant = (tenantId: string, ...conditions: (SQL | undefined)[]) => and(eq(customers.tenantId, tenantId), ...conditions);

export const toCustomerView = (row: CustomerRow, options: { canSeePhone: boolean }): CustomerView => ({
  id: row.id,
  name: row.name,
  gender: row.gender as CustomerView['gender'],
  phone: options.canSeePhone ? row.phone : maskMobile(row.phone),
  isPhoneMasked: !options.canSeePhone,
  birthday:
    row.birthDate && row.birthdayCalendar
      ? (() => {
          const lunar = solarToLunar(row.birthDate);
          return {
            calendar: row.birthdayCalendar as 'solar' | 'lunar',
            solarDate: row.birthDate,
            lunar: { ...lunar, label: lunarLabel(lunar) },
          };
        })()
      : null,
  sourceChannel: row.sourceChannel as CustomerView['sourceChannel'],
  consultantId: row.consultantId,
  referrerId: row.referrerId,
  firstStoreId: row.firstStoreId,
  familyId: row.familyId,
  notes: row.notes,
  tags: row.tags,
  allergies: row.allergies,
  dealStatus: row.dealStatus as CustomerView['dealStatus'],
  dealCount: row.dealCount,
  activity: row.activity as CustomerView['activity'],
  memberSince: row.memberSince,
  lastConsumptionDate: row.lastConsumptionDate,
  hasAllergy: row.allergies.length > 0,
  arrearsFen: row.arrearsFen,
  lastVisitType: row.lastVisitType as CustomerView['lastVisitType'],
  lastVisitDate: row.lastVisitDate,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

/** The stored birthday columns for a birthday as entered: solar as is, lunar converted (and checked to exist). */
const birthdayColumns = (birthday: CustomerInput['birthday'], today: string) => {
  if (!birthday) return { birthDate: null, birthdayCalendar: null, lunarBirthMonth: null, lunarBirthDay: null, lunarBirthLeap: null };
  const solarDate = birthday.calendar === 'solar' ? birthday.date : undefined;
  if (solarDate && (solarDate > today || solarDate < '1900-01-01')) {
    throw new DomainError('invalid', 'INVALID_INPUT', '生日不能晚于今天或早于 1900 年', [{ path: 'body.birthday.date', message: '日期超出范围' }]);
  }
  if (birthday.calendar === 'solar') {
    const lunar = solarToLunar(birthday.date);
    return { birthDate: birthday.date, birthdayCalendar: 'solar', lunarBirthMonth: lunar.month, lunarBirthDay: lunar.day, lunarBirthLeap: lunar.isLeapMonth };
  }
  const problem = lunarDateProblem(birthday);
  if (problem) throw new DomainError('invalid', 'INVALID_INPUT', problem, [{ path: 'body.birthday', message: problem }]);
  const converted = lunarToSolar(birthday);
  if (converted > today) throw new DomainError('invalid', 'INVALID_INPUT', '生日不能晚于今天', [{ path: 'body.birthday', message: '日期超出范围' }]);
  return {
    birthDate: converted,
    birthdayCalendar: 'lunar',
    lunarBirthMonth: birthday.month,
    lunarBirthDay: birthday.day,
    lunarBirthLeap: birthday.isLeapMonth,
  };
};

/** Referenced rows must be this tenant's; another tenant's id is simply "not found" (422 on the field). */
const checkReferences = async (tx: Executor, tenantId: string, input: CustomerPatch, selfId?: string) => {
  const problems: ErrorDetail[] = [];
  if (input.consultantId && !(await staffExists(tx, tenantId, input.consultantId))) problems.push({ path: 'body.consultantId', message: '咨询师不存在' });
  if (input.firstStoreId && !(await storeExists(tx, tenantId, input.firstStoreId))) problems.push({ path: 'body.firstStoreId', message: '门店不存在' });
  if (input.referrerId) {
    if (input.referrerId === selfId) problems.push({ path: 'body.referrerId', message: '推荐人不能是客户本人' });
    else if (!(await findCustomerRow(tx, tenantId, input.referrerId))) problems.push({ path: 'body.referrerId', message: '推荐人不存在' });
  }
  if (problems.length > 0) throw new DomainError('rule', 'REFERENCE_NOT_FOUND', problems.map((problem) => problem.message).join('；'), problems);
};

const uniqueLabels = (labels: string[] | undefined) => (labels ? [...new Set(labels.map((label) => label.trim()))] : undefined);

/**
 * `forUpdate` takes the customer's row lock that every write moving her value serialises on. It is
 * FOR NO KEY UPDATE: it excludes the other writers but not the key-share locks that inserting rows
 * referencing her takes (a voucher batch writing into her wallet while holding its template's
 * lock), so a batch and her own checkout or claim cannot deadlock.
 */
/** The scope key saying this transaction holds the customer's row lock (a flow's later steps need not take it again). */
export const customerLockScopeKey = (tenantId: string, id: string) => `customer-lock:${tenantId}:${id}`;

export const findCustomerRow = async (tx: Executor, tenantId: string, id: string, options: { forUpdate?: boolean } = {}) => {
  const query = tx
    .select()
    .from(customers)
    .where(byTenant(tenantId, eq(customers.id, id)));
  const [row] = options.forUpdate ? await query.for('no key update') : await query;
  if (row && options.forUpdate) putScoped(tx, customerLockScopeKey(tenantId, id), true);
  return row;
};

/** 404 unless the customer exists in the tenant: for writes that need nothing else of her row. */
export const assertCustomerExists = async (tx: Executor, tenantId: string, id: string): Promise<void> => {
  const rows = await queryRows<{ id: string }>(tx, sql`select id from ${customers} where tenant_id = ${tenantId} and id = ${id}`);
  if (rows.length === 0) throw notFound('客户', 'CUSTOMER_NOT_FOUND');
};

export const getCustomerRow = async (tx: Executor, tenantId: string, id: string, options: { forUpdate?: boolean } = {}) => {
  const row = await findCustomerRow(tx, tenantId, id, options);
  if (!row) throw notFound('客户', 'CUSTOMER_NOT_FOUND');
  return row;
};

/** Creates the record alone; registering a customer (her referrer, welcome vouchers) is flows/register-customer. */
export const createCustomer = async (tx: Executor, ctx: Ctx, input: CustomerInput): Promise<CustomerRow> => {
  const { actor } = ctx;
  await checkReferences(tx, actor.tenantId, input);
  const values = {
    tenantId: actor.tenantId,
    id: newId(),
    name: input.name,
    gender: input.gender,
    phone: input.phone,
    ...birthdayColumns(input.birthday, ctx.today),
    sourceChannel: input.sourceChannel ?? null,
    consultantId: input.consultantId ?? null,
    referrerId: input.referrerId ?? null,
    firstStoreId: input.firstStoreId ?? null,
    notes: input.notes ?? null,
    tags: uniqueLabels(input.tags) ?? [],
    allergies: uniqueLabels(input.allergies) ?? [],
    searchKeys: pinyinKeys(input.name),
  };
  const row = await tx
    .insert(customers)
    .values(values)
    .returning()
    .then((rows) => rows[0])
    .catch((error: unknown) => mapConstraintError(error, { customers_phone_key: phoneTaken(input.phone) }));
  if (!row) throw new Error('customer insert returned nothing');
  await writeAudit(tx, actor, { action: 'customer.create', entityType: 'customer', entityId: row.id, after: row });
  return row;
};

/**
 * Changes the record; the before-row is passed in by the caller, who locked it (FOR NO KEY UPDATE)
 * and checked any referrer change with referrals first (flows/update-customer).
 */
export const updateCustomer = async (tx: Executor, ctx: Ctx, before: CustomerRow, patch: CustomerPatch): Promise<CustomerRow> => {
  const { actor } = ctx;
  const id = before.id;
  await checkReferences(tx, actor.tenantId, patch, id);
  const changes = {
    ...(patch.name !== undefined ? { name: patch.name, searchKeys: pinyinKeys(patch.name) } : {}),
    ...(patch.gender !== undefined ? { gender: patch.gender } : {}),
    ...(patch.phone !== undefined ? { phone: patch.phone } : {}),
    ...(patch.birthday !== undefined ? birthdayColumns(patch.birthday, ctx.today) : {}),
    ...(patch.sourceChannel !== undefined ? { sourceChannel: patch.sourceChannel } : {}),
    ...(patch.consultantId !== undefined ? { consultantId: patch.consultantId } : {}),
    ...(patch.referrerId !== undefined ? { referrerId: patch.referrerId } : {}),
    ...(patch.firstStoreId !== undefined ? { firstStoreId: patch.firstStoreId } : {}),
    ...(patch.notes !== undefined ? { notes: patch.notes } : {}),
    ...(patch.tags !== undefined ? { tags: uniqueLabels(patch.tags) } : {}),
    ...(patch.allergies !== undefined ? { allergies: uniqueLabels(patch.allergies) } : {}),
  };
  const [after] = await tx
    .update(customers)
    .set({ ...changes, updatedAt: sql`now()` })
    .where(byTenant(actor.tenantId, eq(customers.id, id)))
    .returning()
    .catch((error: unknown) => mapConstraintError(error, { customers_phone_key: phoneTaken(patch.phone ?? '') }));
  if (!after) throw notFound('客户', 'CUSTOMER_NOT_FOUND');
  await writeAudit(tx, actor, { action: 'customer.update', entityType: 'customer', entityId: id, before, after });
  return after;
};

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

/** One search box: phone tail (digits), pinyin initials or full pinyin (letters), or part of the name. */
export const searchCondition = (q: string): SQL | undefined => {
  const text = q.trim();
  if (!text) return undefined;
  // A number as people write it: 138 0013 8000, 138-0013-8000, +86 13800138000, 0086…
  const digits = /^[+\d][\d\s\-()]*$/.test(text) ? text.replace(/[\s\-()]/g, '').replace(/^(\+86|0086)(?=1\d{10}$)/, '') : '';
  if (/^\d{3,11}$/.test(digits)) {
    return digits.length === 11 ? eq(customers.phone, digits) : sql`${customers.phone} like ${`%${escapeLike(digits)}`}`;
  }
  const latin = text.toLowerCase().replace(/\s+/g, '');
  if (/^[a-z]+$/.test(latin)) {
    return sql`(exists (select 1 from unnest(${customers.searchKeys}) as key where key like ${`${latin}%`}) or ${customers.name} ilike ${`%${escapeLike(text)}%`})`;
  }
  return sql`${customers.name} ilike ${`%${escapeLike(text)}%`}`;
};

/** A condition on the customer's id that another module answers (e.g. visits: booked today, not arrived). */
export type CustomerIdCondition = (customerId: typeof customers.id) => SQL;

/** Conditions the customer list takes from other modules (given by the app's wiring). */
export type CustomerListConditions = {
  bookedNotArrived: CustomerIdCondition;
  pointsExpiring: CustomerIdCondition;
  vouchersExpiring: CustomerIdCondition;
  /** The business date the birthday window starts on. */
  today: BusinessDate;
};

/** Days a birthday is "coming" on the today screen, and the window points and vouchers count as expiring. */
export const upcomingWindow = { birthdayDays: 7, expiryDays: 30 } as const;

/**
 * Birthdays from `today` through the next six days: solar ones by month and day (29 February
 * kept on the 28th in other years), lunar ones by the lunar month and day each of those days is.
 */
export const birthdayWithinCondition = (today: BusinessDate, days: number = upcomingWindow.birthdayDays): SQL => {
  const dates = Array.from({ length: days }, (_, index) => addDays(today, index));
  const monthDays = new Set(dates.map((date) => date.slice(5)));
  if (dates.some((date) => date.endsWith('-02-28') && !isLeapYear(Number(date.slice(0, 4))))) monthDays.add('02-29');
  const lunar = dates.map((date) => solarToLunar(date));
  const solarList = sql.join(
    [...monthDays].map((monthDay) => sql`${monthDay}`),
    sql`, `,
  );
  const lunarList = sql.join(
    lunar.map((date) => sql`(${date.month}::smallint, ${date.day}::smallint)`),
    sql`, `,
  );
  return sql`((${customers.birthdayCalendar} is distinct from 'lunar' and to_char(${customers.birthDate}, 'MM-DD') in (${solarList}))
    or (${customers.birthdayCalendar} = 'lunar' and (${customers.lunarBirthMonth}, ${customers.lunarBirthDay}) in (${lunarList})))`;
};

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

const upcomingCondition = (reason: UpcomingReason, conditions: CustomerListConditions): SQL => {
  switch (reason) {
    case 'birthday':
      return birthdayWithinCondition(conditions.today);
    case 'points_expiring':
      return conditions.pointsExpiring(customers.id);
    case 'vouchers_expiring':
      return conditions.vouchersExpiring(customers.id);
  }
};

const customerListWhere = (tenantId: string, query: Omit<CustomerListQuery, 'page' | 'pageSize'>, conditions: CustomerListConditions) =>
  byTenant(
    tenantId,
    query.q ? searchCondition(query.q) : undefined,
    query.gender ? eq(customers.gender, query.gender) : undefined,
    query.tag ? sql`${query.tag} = any(${customers.tags})` : undefined,
    query.hasAllergy === undefined ? undefined : query.hasAllergy ? sql`cardinality(${customers.allergies}) > 0` : sql`cardinality(${customers.allergies}) = 0`,
    query.consultantId ? eq(customers.consultantId, query.consultantId) : undefined,
    query.sourceChannel ? eq(customers.sourceChannel, query.sourceChannel) : undefined,
    query.firstStoreId ? eq(customers.firstStoreId, query.firstStoreId) : undefined,
    query.dealStatus ? eq(customers.dealStatus, query.dealStatus) : undefined,
    query.activity ? eq(customers.activity, query.activity) : undefined,
    query.lastVisitType ? eq(customers.lastVisitType, query.lastVisitType) : undefined,
    query.hasArrears === undefined ? undefined : query.hasArrears ? sql`${customers.arrearsFen} > 0` : sql`${customers.arrearsFen} = 0`,
    query.bookedNotArrived === undefined
      ? undefined
      : query.bookedNotArrived
        ? conditions.bookedNotArrived(customers.id)
        : sql`not ${conditions.bookedNotArrived(customers.id)}`,
    query.upcoming ? upcomingCondition(query.upcoming, conditions) : undefined,
  );

/** How many customers a filter matches (the today screen's figures). */
export const countCustomers = async (
  tx: Executor,
  tenantId: string,
  query: Omit<CustomerListQuery, 'page' | 'pageSize'>,
  conditions: CustomerListConditions,
): Promise<number> => {
  const [row] = await tx
    .select({ total: count() })
    .from(customers)
    .where(customerListWhere(tenantId, query, conditions));
  return Number(row?.total ?? 0);
};

export const listCustomers = async (tx: Executor, tenantId: string, query: CustomerListQuery, conditions: CustomerListConditions) => {
  const where = customerListWhere(tenantId, query, conditions);
  const [rows, totals] = await Promise.all([
    tx
      .select()
      .from(customers)
      .where(where)
      .orderBy(desc(customers.createdAt), desc(customers.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    tx.select({ total: count() }).from(customers).where(where),
  ]);
  return { rows, total: Number(totals[0]?.total ?? 0) };
};

export const tagCounts = async (tx: Executor, tenantId: string) => {
  const rows = await queryRows<{ tag: string; count: number }>(
    tx,
    sql`select tag, count(*)::int as count from ${customers}, unnest(${customers.tags}) as tag where ${customers.tenantId} = ${tenantId} group by tag order by count desc, tag limit 200`,
  );
  return rows.map((row) => ({ tag: row.tag, count: Number(row.count) }));
};

export const familyOf = async (tx: Executor, tenantId: string, familyId: string | null) => {
  if (!familyId) return null;
  const members = await tx
    .select({ id: customers.id, name: customers.name, relation: customers.familyRelation, gender: customers.gender })
    .from(customers)
    .where(byTenant(tenantId, eq(customers.familyId, familyId)))
    .orderBy(asc(customers.createdAt), asc(customers.id));
  return { id: familyId, members: members.map((member) => ({ ...member, gender: member.gender as CustomerView['gender'] })) };
};

/** Puts `memberId` into the customer's family, founding one if she has none. */
export const linkFamilyMember = async (tx: Executor, actor: Actor, customerId: string, memberId: string, relation: string | null) => {
  if (customerId === memberId) throw new DomainError('rule', 'FAMILY_SELF', '不能把客户本人添加为家庭成员');
  // Lock both in a fixed order so two opposite links cannot deadlock.
  const [firstId, secondId] = [customerId, memberId].sort();
  const first = await getCustomerRow(tx, actor.tenantId, firstId ?? '', { forUpdate: true });
  const second = await getCustomerRow(tx, actor.tenantId, secondId ?? '', { forUpdate: true });
  const customer = first.id === customerId ? first : second;
  const member = first.id === memberId ? first : second;
  if (member.familyId && member.familyId === customer.familyId) {
    throw new DomainError('conflict', 'FAMILY_ALREADY_MEMBER', `${member.name} 已是该家庭成员`);
  }
  if (member.familyId) throw new DomainError('conflict', 'FAMILY_MEMBER_IN_OTHER_FAMILY', `${member.name} 已属于另一个家庭，请先将其移出`);
  let familyId = customer.familyId;
  if (!familyId) {
    familyId = newId();
    await tx.insert(families).values({ tenantId: actor.tenantId, id: familyId });
    await tx
      .update(customers)
      .set({ familyId, updatedAt: sql`now()` })
      .where(byTenant(actor.tenantId, eq(customers.id, customer.id)));
  } else {
    const [size] = await tx
      .select({ total: count() })
      .from(customers)
      .where(byTenant(actor.tenantId, eq(customers.familyId, familyId)));
    if (Number(size?.total ?? 0) >= maxFamilySize) throw new DomainError('rule', 'FAMILY_FULL', `一个家庭最多 ${maxFamilySize} 人`);
  }
  await tx
    .update(customers)
    .set({ familyId, familyRelation: relation, updatedAt: sql`now()` })
    .where(byTenant(actor.tenantId, eq(customers.id, member.id)));
  await writeAudit(tx, actor, {
    action: 'customer.family.link',
    entityType: 'customer',
    entityId: member.id,
    before: { familyId: member.familyId, familyRelation: member.familyRelation },
    after: { familyId, familyRelation: relation, linkedBy: customer.id },
  });
  return familyOf(tx, actor.tenantId, familyId);
};

/** Takes `memberId` out of the customer's family; a family left with one person dissolves. */
export const unlinkFamilyMember = async (tx: Executor, actor: Actor, customerId: string, memberId: string) => {
  const customer = await getCustomerRow(tx, actor.tenantId, customerId);
  const member = await getCustomerRow(tx, actor.tenantId, memberId, { forUpdate: true });
  if (!customer.familyId || member.familyId !== customer.familyId) throw notFound('家庭成员', 'FAMILY_MEMBER_NOT_FOUND');
  const familyId = customer.familyId;
  await tx
    .update(customers)
    .set({ familyId: null, familyRelation: null, updatedAt: sql`now()` })
    .where(byTenant(actor.tenantId, eq(customers.id, memberId)));
  const remaining = await tx
    .select({ id: customers.id })
    .from(customers)
    .where(byTenant(actor.tenantId, eq(customers.familyId, familyId)));
  if (remaining.length === 1) {
    await tx
      .update(customers)
      .set({ familyId: null, familyRelation: null, updatedAt: sql`now()` })
      .where(byTenant(actor.tenantId, eq(customers.familyId, familyId)));
  }
  await writeAudit(tx, actor, {
    action: 'customer.family.unlink',
    entityType: 'customer',
    entityId: memberId,
    before: { familyId, familyRelation: member.familyRelation },
    after: { familyId: null },
  });
};

export const customer360 = async (tx: Executor, tenantId: string, id: string) => {
  const row = await getCustomerRow(tx, tenantId, id);
  const [consultant] = row.consultantId
    ? await tx
        .select({ id: staffUsers.id, displayName: staffUsers.displayName })
        .from(staffUsers)
        .where(and(eq(staffUsers.tenantId, tenantId), eq(staffUsers.id, row.consultantId)))
    : [];
  const [referrer] = row.referrerId
    ? await tx
        .select({ id: customers.id, name: customers.name })
        .from(customers)
        .where(byTenant(tenantId, eq(customers.id, row.referrerId)))
    : [];
  const referrals = await tx
    .select({ id: customers.id, name: customers.name, createdAt: customers.createdAt })
    .from(customers)
    .where(byTenant(tenantId, eq(customers.referrerId, id)))
    .orderBy(desc(customers.createdAt))
    .limit(100);
  const [firstStore] = row.firstStoreId
    ? await tx
        .select({ id: stores.id, name: stores.name })
        .from(stores)
        .where(and(eq(stores.tenantId, tenantId), eq(stores.id, row.firstStoreId)))
    : [];
  return {
    row,
    consultant: consultant ?? null,
    referrer: referrer ?? null,
    referrals: referrals.map((referral) => ({ ...referral, createdAt: referral.createdAt.toISOString() })),
    firstStore: firstStore ?? null,
    family: await familyOf(tx, tenantId, row.familyId),
  };
};
