import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../api/apiClient.ts';
import type { HistoryEntry, OrderDetail, OrderSummary, Page, VerifyResult } from '../operationsTypes.ts';
import { queryString } from '../queryString.ts';
import { operationsKeys } from './operationsKeys.ts';

/** Filter of the order list; `alert` is an alert type or `any`. */
export interface OrderFilter {
  status: string;
  channel: string;
  alert: string;
}

/** `GET /api/orders`: newest first. */
export function useOrders(filter: OrderFilter) {
  return useQuery({
    queryKey: operationsKeys.orders(filter),
    queryFn: ({ signal }) =>
      apiRequest<Page<OrderSummary>>(`/api/orders${queryString({ ...filter })}`, { signal }),
  });
}

/** `GET /api/orders/:id`: canonical status, each system's last status, facts, SLAs, open alerts. */
export function useOrder(id: string) {
  return useQuery({
    queryKey: operationsKeys.order(id),
    queryFn: ({ signal }) => apiRequest<OrderDetail>(`/api/orders/${encodeURIComponent(id)}`, { signal }),
  });
}

/** `GET /api/orders/:id/history`: the order's entries of the tamper-evident log, oldest first. */
export function useOrderHistory(id: string) {
  return useQuery({
    queryKey: operationsKeys.orderHistory(id),
    queryFn: ({ signal }) =>
      apiRequest<{ items: HistoryEntry[] }>(`/api/orders/${encodeURIComponent(id)}/history`, { signal }),
  });
}

/** `GET /api/audit/verify`: re-checks the whole hash chain and its checkpoints. */
export function useAuditVerify() {
  return useQuery({
    queryKey: operationsKeys.auditVerify(),
    queryFn: ({ signal }) => apiRequest<VerifyResult>('/api/audit/verify', { signal }),
  });
}
