import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api, expectNoContent, setCsrfToken, unwrap } from '../../shared/api';
import type { LoginInput } from '../../shared/api-models';
import { meQueryKey } from './me-query';

const tenantCodeKey = 'yuehui.console.tenantCode';

/** The clinic code last used on this browser, so staff type only their name and password. */
export const lastTenantCode = (): string | null => {
  try {
    return window.localStorage.getItem(tenantCodeKey);
  } catch {
    return null;
  }
};

const rememberTenantCode = (tenantCode: string) => {
  try {
    window.localStorage.setItem(tenantCodeKey, tenantCode);
  } catch {
    // Storage disabled: nothing to remember.
  }
};

export const useLogin = (nextPath: string) => {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: (input: LoginInput) => unwrap(api.POST('/api/v1/auth/login', { body: input })),
    onSuccess: (me, input) => {
      setCsrfToken(me.csrfToken);
      rememberTenantCode(input.tenantCode);
      // Another user's cached data (e.g. full phone numbers) must not leak into this session.
      queryClient.clear();
      queryClient.setQueryData(meQueryKey, me);
      void navigate(nextPath, { replace: true });
    },
  });
};

export const useLogout = () => {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: () => expectNoContent(api.POST('/api/v1/auth/logout')),
    onSettled: () => {
      setCsrfToken(undefined);
      queryClient.clear();
      queryClient.setQueryData(meQueryKey, null);
      void navigate('/login', { replace: true });
    },
  });
};
