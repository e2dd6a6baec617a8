import { z } from 'zod';
import { ZPageQuery, ZTimestamp } from '../../platform/http.js';
import { lineKinds } from '../catalog/line-kinds.js';

export const ZItemKind = z.enum(lineKinds);

export const ZCategoryInput = z.strictObject({
  name: z.string().trim().min(1, '请输入分类名称').max(20),
  sortOrder: z.number().int().min(0).max(9999).optional(),
});
export const ZCategory = z.object({ id: z.uuid(), name: z.string(), sortOrder: z.number().int(), itemCount: z.number().int() }).meta({ id: 'ItemCategory' });

export const ZPackageContentInput = z.strictObject({ itemId: z.uuid(), sessions: z.number().int().min(1, '次数至少为 1').max(999) });

export const ZItemInput = z.strictObject({
  kind: ZItemKind,
  name: z.string().trim().min(1, '请输入品项名称').max(60, '名称不能超过 60 个字'),
  categoryId: z.uuid().nullable().optional(),
  shortCode: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]{1,20}$/, '简码只能是字母和数字')
    .optional(),
  priceFen: z.number().int('金额须为整数（分）').min(0, '价格不能为负').max(100_000_000),
  unit: z.string().trim().min(1).max(6).optional(),
  validityDays: z.number().int().min(1).max(3650).nullable().optional(),
  isActive: z.boolean().optional(),
  contents: z.array(ZPackageContentInput).max(30).optional(),
});
export type ItemInput = z.infer<typeof ZItemInput>;
export const ZItemPatch = ZItemInput.partial();

export const ZItem = z
  .object({
    id: z.uuid(),
    kind: ZItemKind,
    name: z.string(),
    categoryId: z.uuid().nullable(),
    categoryName: z.string().nullable(),
    shortCode: z.string(),
    priceFen: z.number().int(),
    unit: z.string(),
    validityDays: z.number().int().nullable(),
    isActive: z.boolean(),
    contents: z.array(z.object({ itemId: z.uuid(), name: z.string(), sessions: z.number().int(), priceFen: z.number().int() })),
    createdAt: ZTimestamp,
  })
  .meta({ id: 'Item' });
export type ItemView = z.infer<typeof ZItem>;

export const ZItemListQuery = ZPageQuery.extend({
  q: z.string().trim().max(40).optional(),
  kind: ZItemKind.optional(),
  categoryId: z.uuid().optional(),
  includeInactive: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
}).strict();
