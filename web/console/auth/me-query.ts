import { useQuery } from '@tanstack/react-query';
import { api, setCsrfToken, toApiError } from '../../shared/api';
import type { Me } from '../../shared/api-models';

export const meQueryKey = ['auth', 'me'] as const;

/** The signed-in staff member, or null when there is no session. */
const fetchMe = async (): Promise<Me | null> => {
  const { data, error, response } = await api.GET('/api/v1/auth/me');
  if (response.status === 401) {
    setCsrfToken(undefined);
    return null;
  }
  if (!response.ok || !data) throw toApiError(response, error);
  setCsrfToken(data.csrfToken);
  return data;
};

export const useMe = () => useQuery({ queryKey: meQueryKey, queryFn: fetchMe, staleTime: 5 * 60_000 });
