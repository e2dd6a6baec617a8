import { QueryClient } from '@tanstack/react-query';
import { ApiError } from '../shared/api';

/** Client errors (4xx) will not change on retry; network and server errors might. */
const shouldRetry = (failureCount: number, error: unknown) => failureCount < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500);

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: shouldRetry, staleTime: 30_000, refetchOnWindowFocus: false },
    mutations: { retry: false },
  },
});
