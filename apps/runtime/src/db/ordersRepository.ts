import type { OrderState } from '@orderloom/engine';
import type { Environment } from '../apiSchemas.ts';
import type { EventResult, OrderSummary } from '../status/statusApiSchemas.ts';
import type { Db } from './openDatabase.ts';

/** An order row: the engine's state plus which graph and environment it runs under. */
export interface StoredOrder {
  state: OrderState;
  environment: Environment;
  graphId: string;
  graphVersion: number;
  createdAt: number;
  updatedAt: number;
}

interface OrderRow {
  order_id: string;
  environment: Environment;
  graph_id: string;
  graph_version: number;
  channel: string | null;
  status: string;
  since: number;
  state: string;
  created_at: number;
  updated_at: number;
}

/** Orders and the events applied to them (the idempotency record). */
export type OrdersRepository = ReturnType<typeof createOrdersRepository>;

/** Creates the repository of orders and applied events; writes run inside the caller's transaction. */
export function createOrdersRepository(db: Db) {
  const selectOrder = db.prepare<[string], OrderRow>('SELECT * FROM orders WHERE order_id = ?');
  const upsertOrder = db.prepare(
    `INSERT INTO orders (order_id, environment, graph_id, graph_version, channel, status, since, state, created_at, updated_at)
     VALUES (@orderId, @environment, @graphId, @graphVersion, @channel, @status, @since, @state, @now, @now)
     ON CONFLICT (order_id) DO UPDATE SET graph_version = excluded.graph_version, channel = excluded.channel,
       status = excluded.status, since = excluded.since, state = excluded.state, updated_at = excluded.updated_at`,
  );
  const selectEvent = db.prepare<[string, string], { order_id: string; result: string }>(
    'SELECT order_id, result FROM status_events WHERE system = ? AND event_id = ?',
  );
  const insertEvent = db.prepare(
    `INSERT INTO status_events (system, event_id, order_id, seq, received_at, result)
     VALUES (@system, @eventId, @orderId, @seq, @receivedAt, @result)`,
  );
  const selectPage = db.prepare<
    {
      status: string | null;
      channel: string | null;
      alert: string | null;
      environment: string | null;
      before: number | null;
      limit: number;
    },
    OrderRow & { rowid: number }
  >(
    `SELECT o.rowid, o.* FROM orders o
     WHERE (@status IS NULL OR o.status = @status)
       AND (@channel IS NULL OR o.channel = @channel)
       AND (@environment IS NULL OR o.environment = @environment)
       AND (@before IS NULL OR o.rowid < @before)
       AND (@alert IS NULL OR EXISTS (SELECT 1 FROM alerts a WHERE a.order_id = o.order_id AND a.state = 'open'
                                       AND (@alert = 'any' OR a.type = @alert)))
     ORDER BY o.rowid DESC LIMIT @limit`,
  );

  const toStored = (row: OrderRow): StoredOrder => ({
    state: JSON.parse(row.state) as OrderState,
    environment: row.environment,
    graphId: row.graph_id,
    graphVersion: row.graph_version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });

  return {
    /** The order, or undefined. */
    get(orderId: string): StoredOrder | undefined {
      const row = selectOrder.get(orderId);
      return row ? toStored(row) : undefined;
    },

    /** Inserts or updates an order (the graph id and environment of an existing order never change). */
    save(order: Omit<StoredOrder, 'createdAt' | 'updatedAt'>, now: number): void {
      upsertOrder.run({
        orderId: order.state.orderId,
        environment: order.environment,
        graphId: order.graphId,
        graphVersion: order.graphVersion,
        channel: order.state.channel ?? null,
        status: order.state.status,
        since: order.state.since,
        state: JSON.stringify(order.state),
        now,
      });
    },

    /** The result recorded for `(system, eventId)`, or undefined when that event was never applied. */
    findEvent(system: string, eventId: string): { orderId: string; result: EventResult } | undefined {
      const row = selectEvent.get(system, eventId);
      return row ? { orderId: row.order_id, result: JSON.parse(row.result) as EventResult } : undefined;
    },

    /** Like {@link OrdersRepository.findEvent}, with the result as its stored JSON text. */
    findEventText(system: string, eventId: string): { orderId: string; result: string } | undefined {
      const row = selectEvent.get(system, eventId);
      return row ? { orderId: row.order_id, result: row.result } : undefined;
    },

    /**
     * Records an applied event with the response it got, for idempotent replays (`result` as the
     * object, or as the JSON text that was answered).
     */
    recordEvent(event: {
      system: string;
      eventId: string;
      orderId: string;
      seq: number;
      receivedAt: number;
      result: EventResult | string;
    }): void {
      insertEvent.run({
        ...event,
        result: typeof event.result === 'string' ? event.result : JSON.stringify(event.result),
      });
    },

    /** One page of orders, newest first, with the rowid cursor of each. */
    list(filter: {
      status?: string | undefined;
      channel?: string | undefined;
      alert?: string | undefined;
      environment?: string | undefined;
      before?: number | undefined;
      limit: number;
    }): Array<OrderSummary & { cursor: number }> {
      return selectPage
        .all({
          status: filter.status ?? null,
          channel: filter.channel ?? null,
          alert: filter.alert ?? null,
          environment: filter.environment ?? null,
          before: filter.before ?? null,
          limit: filter.limit,
        })
        .map((row) => ({
          cursor: row.rowid,
          orderId: row.order_id,
          environment: row.environment,
          graph: { id: row.graph_id, version: row.graph_version },
          channel: row.channel,
          status: row.status,
          since: new Date(row.since).toISOString(),
          updatedAt: new Date(row.updated_at).toISOString(),
        }));
    },
  };
}
