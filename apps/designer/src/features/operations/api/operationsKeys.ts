/** React Query keys of the operations views, in one place so invalidation stays consistent. */
export const operationsKeys = {
  decisions: (filter: object) => ['decisions', 'list', filter] as const,
  decision: (id: string) => ['decisions', 'detail', id] as const,
  orders: (filter: object) => ['orders', 'list', filter] as const,
  order: (id: string) => ['orders', 'detail', id] as const,
  orderHistory: (id: string) => ['orders', 'history', id] as const,
  auditVerify: () => ['audit', 'verify'] as const,
  alertsAll: () => ['alerts'] as const,
  alerts: (filter: object) => ['alerts', filter] as const,
  subscriptions: () => ['subscriptions'] as const,
  deliveries: (subscriptionId: string, state: string) =>
    ['subscriptions', subscriptionId, 'deliveries', state] as const,
};
