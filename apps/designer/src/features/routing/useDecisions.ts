import type { RoutingSnapshot } from '@orderloom/engine';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../api/apiClient.ts';

/** One item of `GET /api/decisions`. */
export interface DecisionSummary {
  decisionId: string;
  at: string;
  orderId: string;
  strategy: { id: string; version: number; environment: string };
  allocation: { warehouse: string; lane: string }[];
  tierUsed: string | null;
  unroutable: boolean;
  explanation: string;
}

/** `GET /api/decisions/:id`: the parts the what-if panel reads. */
export interface DecisionRecord extends Omit<DecisionSummary, 'allocation'> {
  allocation: { warehouse: string; lane: string }[];
  snapshot: RoutingSnapshot;
}

/** Recent decisions of a strategy, newest first, optionally for one order id. */
export function useRecentDecisions(strategy: string, orderId: string) {
  return useQuery({
    queryKey: ['decisions', 'list', strategy, orderId],
    queryFn: ({ signal }) => {
      const query = new URLSearchParams({ strategy, limit: '25' });
      if (orderId) query.set('orderId', orderId);
      return apiRequest<{ items: DecisionSummary[] }>(`/api/decisions?${query}`, { signal });
    },
    placeholderData: keepPreviousData,
  });
}

/** One stored decision with its snapshot. */
export function useDecision(decisionId: string | null) {
  return useQuery({
    queryKey: ['decisions', 'detail', decisionId],
    queryFn: ({ signal }) =>
      apiRequest<DecisionRecord>(`/api/decisions/${encodeURIComponent(decisionId ?? '')}`, { signal }),
    enabled: decisionId !== null,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** The runtime's current facts (for routing a pasted order), fetched only when asked for. */
export function useCurrentFacts(enabled: boolean) {
  return useQuery({
    queryKey: ['facts', 'all'],
    queryFn: async ({ signal }) => {
      const [warehouses, lanes, alerts] = await Promise.all(
        (['warehouses', 'lanes', 'alerts'] as const).map((collection) =>
          apiRequest<{ items: unknown[] }>(`/api/facts/${collection}`, { signal }),
        ),
      );
      return {
        warehouses: (warehouses?.items ?? []) as RoutingSnapshot['facts']['warehouses'],
        lanes: (lanes?.items ?? []) as RoutingSnapshot['facts']['lanes'],
        alerts: (alerts?.items ?? []) as RoutingSnapshot['facts']['alerts'],
      };
    },
    enabled,
    staleTime: 60_000,
  });
}
