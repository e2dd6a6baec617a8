import type { Me } from '../../shared/api-models';

/** Permissions the console checks before showing an area or an action; the server enforces them anyway. */
export type Permission = Me['user']['permissions'][number];

export const hasPermission = (me: Me, permission: Permission): boolean => me.user.permissions.includes(permission);

/** For areas several roles enter for different things (设置: the owner's settings, a manager's staff). */
export const hasAnyPermission = (me: Me, permission: Permission | readonly Permission[]): boolean =>
  typeof permission === 'string' ? hasPermission(me, permission) : permission.some((one) => hasPermission(me, one));
