import { useQuery } from '@tanstack/react-query';
import { useSessionStore } from '../store/sessionStore.ts';
import { apiRequest } from './apiClient.ts';
import { queryKeys } from './queryKeys.ts';
import type { Me } from './types.ts';

/** Asks the runtime who an API key belongs to. */
export function fetchMe(apiKey: string): Promise<Me> {
  return apiRequest<Me>('/api/me', { apiKey });
}

/**
 * Re-verifies the stored key once per tab load and keeps the role fresh; a rejected key signs out
 * (handled by the API client).
 */
export function useMe() {
  const apiKey = useSessionStore((s) => s.apiKey);
  return useQuery({
    queryKey: queryKeys.me(apiKey ?? ''),
    queryFn: () => apiRequest<Me>('/api/me'),
    enabled: apiKey !== null,
    staleTime: 60_000,
  });
}
