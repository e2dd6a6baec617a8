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
    }),
    tenant: z.object({ id: z.uuid(), code: z.string(), name: z.string(), timezone: z.string() }),
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
