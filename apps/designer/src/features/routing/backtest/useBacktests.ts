import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../api/apiClient.ts';
import type { Backtest, BacktestAccepted, BacktestRequest } from './backtestTypes.ts';

/** How often a queued or running backtest is polled. */
const pollMs = 500;

export const backtestKeys = {
  all: () => ['backtests'] as const,
  list: () => ['backtests', 'list'] as const,
  detail: (id: string) => ['backtests', 'detail', id] as const,
};

const isActive = (backtest: Pick<Backtest, 'state'> | undefined) =>
  backtest?.state === 'queued' || backtest?.state === 'running';

/** `GET /api/backtests/:id`, polled while it is queued or running. */
export function useBacktest(id: string | null) {
  return useQuery({
    queryKey: backtestKeys.detail(id ?? ''),
    queryFn: ({ signal }) =>
      apiRequest<Backtest>(`/api/backtests/${encodeURIComponent(id ?? '')}`, { signal }),
    enabled: id !== null,
    refetchInterval: (query) => (isActive(query.state.data) ? pollMs : false),
  });
}

/**
 * Recent backtests of one strategy, newest first. The runtime lists the latest backtests of every
 * strategy; this keeps the strategy's own, and polls while one of them is still running.
 */
export function useStrategyBacktests(strategy: string) {
  return useQuery({
    queryKey: backtestKeys.list(),
    queryFn: ({ signal }) => apiRequest<{ items: Backtest[] }>('/api/backtests', { signal }),
    select: (data) => data.items.filter((b) => b.strategy === strategy),
    refetchInterval: (query) => (query.state.data?.items.some(isActive) ? pollMs * 2 : false),
  });
}

/** `POST /api/backtests`: starts a backtest on the server (it answers 202 at once). */
export function useStartBacktest() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: BacktestRequest) =>
      apiRequest<BacktestAccepted>('/api/backtests', { method: 'POST', body: request }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: backtestKeys.list() }),
  });
}
