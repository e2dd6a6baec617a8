import type { ReactNode } from 'react';
import { Result } from '../common/result';
import { useCurrentMe } from './me-context';
import { hasAnyPermission, type Permission } from './permissions';

export const RequirePermission = ({ permission, children }: { permission?: Permission | readonly Permission[]; children: ReactNode }) => {
  const me = useCurrentMe();
  if (permission && !hasAnyPermission(me, permission)) return <Result status="403" title="403" />;
  return <>{children}</>;
};
