import { loadAlerts, loadLanes, loadOrders, loadWarehouses } from '@orderloom/schema/fixtures';
import type { Logger } from 'pino';
import type { Actor } from '../db/definitionsRepository.ts';
import type { Db } from '../db/openDatabase.ts';
import type { RoutingRuntime } from './routingRuntime.ts';

const system: Actor = { name: 'system', keyId: null };

/** The migration that creates the facts tables: the start that applies it loads the demo facts. */
export const routingMigration = 4;

/** The demo strategy whose decisions are seeded. */
const demoStrategy = 'peak-season';

/**
 * Loads the china-peak facts (12 warehouses, their lanes and alerts) when every facts table is empty,
 * then — if the demo strategy is published to production — routes the first `decisions` orders of
 * the data set at their `placedAt` time, so the decision explorer and backtests have history. All in
 * one transaction.
 *
 * @returns what was loaded (zeros when facts already existed).
 */
export function seedDemoRouting(
  db: Db,
  routing: RoutingRuntime,
  logger: Logger,
  options: { decisions?: number } = {},
): { facts: number; decisions: number } {
  const { facts } = routing;
  if (facts.size('warehouses') + facts.size('lanes') + facts.size('alerts') > 0)
    return { facts: 0, decisions: 0 };
  const warehouses = loadWarehouses();
  const lanes = loadLanes();
  const alerts = loadAlerts();
  let routed = 0;
  db.transaction(() => {
    facts.bulk('warehouses', warehouses, { replace: false, actor: system });
    facts.bulk('lanes', lanes, { replace: false, actor: system });
    facts.bulk('alerts', alerts, { replace: false, actor: system });
    const count = options.decisions ?? 500;
    if (count === 0 || !routing.strategies.published(demoStrategy, 'production')) return;
    for (const order of loadOrders().slice(0, count)) {
      const at = order.placedAt === undefined ? undefined : Date.parse(order.placedAt);
      const result = routing.decisions.route(
        { strategy: demoStrategy, environment: 'production', order },
        at === undefined ? {} : { at },
      );
      if (result.ok) routed++;
    }
  }).immediate();
  const loaded = warehouses.length + lanes.length + alerts.length;
  logger.info({ facts: loaded, decisions: routed }, 'loaded demo facts and decisions');
  return { facts: loaded, decisions: routed };
}
