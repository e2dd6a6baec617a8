import { z } from 'zod';
import { ZTimestamp } from '../../platform/http.js';
import { permissions, roles } from '../../platform/permissions.js';

export const ZRole = z.enum(roles).meta({ id: 'Role' });

export const ZLoginRequest = z.strictObject({
  tenantCode: z.string().trim().min(1, '请输入诊所代码').max(40),
  username: z.string().trim().min(1, '请输入用户名').max(60),
  password: z.string().min(1, '请输入密码').max(200),
});

export const ZMe = z
  .object({
    user: z.object({
      id: z.uuid(),
      username: z.string(),
      displayName: z.string(),
      role: ZRole,
      storeIds: z.array(z.uuid()).nullable(),
      permissions: z.array(z.enum(permissions)),
      /** Signed in with a temporary password: the console shows only the change-password screen. */
      mustChangePassword: z.boolean(),
    }),
    tenant: z.object({ id: z.uuid(), code: z.string(), name: z.string(), timezone: z.string(), businessDayStart: z.string(), hasLogo: z.boolean() }),
    stores: z.array(z.object({ id: z.uuid(), name: z.string() })),
    csrfToken: z.string(),
  })
  .meta({ id: 'Me' });

export const ZStaffList = z.object({
  items: z.array(z.object({ id: z.uuid(), displayName: z.string(), role: ZRole })),
});

export const ZCreateStaffRequest = z.strictObject({
  username: z
    .string()
    .trim()
    .regex(/^[a-zA-Z][a-zA-Z0-9_.-]{2,39}$/, '用户名须以字母开头，3–40 位字母、数字或 _ . -'),
  displayName: z.string().trim().min(1).max(40),
  role: ZRole,
  password: z.string().min(10, '密码至少 10 位').max(200),
  storeIds: z.array(z.uuid()).nullable().optional(),
});

export const ZApiKeyRequest = z.strictObject({ name: z.string().trim().min(1).max(60), role: ZRole });

export const ZApiKey = z.object({
  id: z.uuid(),
  name: z.string(),
  role: ZRole,
  createdAt: ZTimestamp,
  lastUsedAt: ZTimestamp.nullable(),
  revokedAt: ZTimestamp.nullable(),
});

export const ZCreatedApiKey = z.object({ id: z.uuid(), name: z.string(), role: ZRole, token: z.string() });

const ZUsername = z
  .string()
  .trim()
  .regex(/^[a-zA-Z][a-zA-Z0-9_.-]{2,39}$/, '用户名须以字母开头，3–40 位字母、数字或 _ . -');

export const ZStaffAccount = z
  .object({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string(),
    role: ZRole,
    storeIds: z.array(z.uuid()).nullable(),
    isDisabled: z.boolean(),
    isLocked: z.boolean(),
    mustChangePassword: z.boolean(),
    lastLoginAt: ZTimestamp.nullable(),
    createdAt: ZTimestamp,
  })
  .meta({ id: 'StaffAccount' });

export const ZUpdateStaffRequest = z.strictObject({
  displayName: z.string().trim().min(1).max(40).optional(),
  role: ZRole.optional(),
  storeIds: z.array(z.uuid()).nullable().optional(),
});

export const ZResetPasswordRequest = z.strictObject({ temporaryPassword: z.string().min(10, '密码至少 10 位').max(200) });

export const ZChangePasswordRequest = z.strictObject({
  currentPassword: z.string().min(1, '请输入当前密码').max(200),
  newPassword: z.string().min(10, '密码至少 10 位').max(200),
});

export const ZSetupStatus = z.object({
  /** Whether this server lets a new clinic be created here now. */
  isOpen: z.boolean(),
  /** Whether the database has no clinic yet (the first start). */
  isFirstClinic: z.boolean(),
});

export const ZSetupRequest = z.strictObject({
  code: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z][a-z0-9-]{1,39}$/, '诊所代码须以小写字母开头，2–40 位小写字母、数字或 -'),
  name: z.string().trim().min(1, '请输入诊所名称').max(60),
  timezone: z.string().trim().min(1).max(64).default('Asia/Shanghai'),
  store: z.strictObject({ name: z.string().trim().min(1, '请输入门店名称').max(60), address: z.string().trim().max(200).nullable().optional() }),
  owner: z.strictObject({
    username: ZUsername,
    displayName: z.string().trim().min(1, '请输入姓名').max(40),
    password: z.string().min(10, '密码至少 10 位').max(200),
  }),
});
