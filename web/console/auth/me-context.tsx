import { createContext, useContext } from 'react';
import type { Me } from '../../shared/api-models';
import { hasPermission, type Permission } from './permissions';

const MeContext = createContext<Me | null>(null);

export const MeProvider = MeContext.Provider;

/** The signed-in staff member; only for components rendered inside RequireAuth. */
export const useCurrentMe = (): Me => {
  const me = useContext(MeContext);
  if (!me) throw new Error('useCurrentMe must be used inside <RequireAuth>');
  return me;
};

export const useCan = (permission: Permission): boolean => hasPermission(useCurrentMe(), permission);
