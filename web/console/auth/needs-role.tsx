import { Button, type ButtonProps, Tooltip } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { type Role, rolePermissions, roles } from '../../../src/platform/permissions';
import { useCan } from './me-context';
import type { Permission } from './permissions';

/** The roles that may do it, the owner named only when no other role may. */
export const rolesWith = (permission: Permission): Role[] => {
  const granted = roles.filter((role) => role !== 'owner' && rolePermissions[role].includes(permission));
  return granted.length > 0 ? granted : ['owner'];
};

/**
 * An action the signed-in role may not take: shown, disabled, saying who can (需店长权限) rather
 * than hidden, so the desk knows whom to ask. With the permission it is the plain button.
 */
export const PermittedButton = ({ permission, children, ...button }: ButtonProps & { permission: Permission; children: ReactNode }) => {
  const { t } = useTranslation();
  const can = useCan(permission);
  if (can) return <Button {...button}>{children}</Button>;
  const who = rolesWith(permission)
    .map((role) => t(`roles.${role}`))
    .join(t('common.listSeparator'));
  return (
    <Tooltip title={t('common.needsRole', { roles: who })}>
      <Button {...button} onClick={undefined} disabled aria-description={t('common.needsRole', { roles: who })}>
        {children}
      </Button>
    </Tooltip>
  );
};
