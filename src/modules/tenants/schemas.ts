import { z } from 'zod';
import { ZTimestamp } from '../../platform/http.js';
import { tenantCodePattern } from './service.js';

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullable()
    .transform((value) => (value === '' ? null : value));

export const ZTenantCode = z.string().trim().toLowerCase().regex(tenantCodePattern, '诊所代码须以小写字母开头，2–40 位小写字母、数字或 -');

export const ZClinicProfile = z
  .object({
    code: z.string(),
    name: z.string(),
    timezone: z.string(),
    contactPhone: z.string().nullable(),
    address: z.string().nullable(),
    receiptHeader: z.string().nullable(),
    receiptFooter: z.string().nullable(),
    businessDayStart: z.string(),
    hasLogo: z.boolean(),
  })
  .meta({ id: 'ClinicProfile' });

export const ZClinicProfileRequest = z.strictObject({
  name: z.string().trim().min(1, '请输入诊所名称').max(60),
  timezone: z.string().trim().min(1).max(64),
  contactPhone: optionalText(40),
  address: optionalText(200),
  receiptHeader: optionalText(200),
  receiptFooter: optionalText(200),
  businessDayStart: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '格式为 HH:MM，例如 04:00'),
});

export const ZLogoRequest = z.strictObject({
  /** The image file's bytes, base64-encoded (at most 256 KB once decoded). */
  dataBase64: z.base64('须为 base64 编码的图片').max(360_000, '图片不能超过 256 KB'),
});

export const ZStore = z
  .object({
    id: z.uuid(),
    name: z.string(),
    address: z.string().nullable(),
    phone: z.string().nullable(),
    closedAt: ZTimestamp.nullable(),
    createdAt: ZTimestamp,
  })
  .meta({ id: 'Store' });

export const ZStoreRequest = z.strictObject({
  name: z.string().trim().min(1, '请输入门店名称').max(60),
  address: optionalText(200).optional(),
  phone: optionalText(40).optional(),
});

export const ZStorePatch = ZStoreRequest.partial();

export const storeView = (store: { id: string; name: string; address: string | null; phone: string | null; closedAt: Date | null; createdAt: Date }) => ({
  id: store.id,
  name: store.name,
  address: store.address,
  phone: store.phone,
  closedAt: store.closedAt?.toISOString() ?? null,
  createdAt: store.createdAt.toISOString(),
});
