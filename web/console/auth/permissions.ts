import type { Me } from '../../shared/api-models';

/** Permissions the console checks before showing an area or an action; the server enforces them anyway. */
export type Permission = Me['user']['permissions'][number];

export const hasPermission = (me: Me, permission: Permission): boolean => me.user.permissions.includes(permission);
