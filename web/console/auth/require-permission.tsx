import { Result } from 'antd';
import type { ReactNode } from 'react';
import { useCurrentMe } from './me-context';
import { hasPermission, type Permission } from './permissions';

export const RequirePermission = ({ permission, children }: { permission?: Permission; children: ReactNode }) => {
  const me = useCurrentMe();
  if (permission && !hasPermission(me, permission)) return <Result status="403" title="403" />;
  return <>{children}</>;
};
