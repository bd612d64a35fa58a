import type { AlertLevel } from '@orderloom/engine';
import type { Alert, AlertType } from '../status/statusApiSchemas.ts';
import type { Db } from './openDatabase.ts';

interface AlertRow {
  id: number;
  key: string;
  type: AlertType;
  order_id: string | null;
  level: AlertLevel;
  state: 'open' | 'acked';
  message: string;
  notify: string;
  details: string;
  occurrences: number;
  raised_at: number;
  updated_at: number;
  acked_at: number | null;
  acked_by: string | null;
}

/** An alert to raise: `key` identifies it (e.g. one SLA stay), so raising again updates one row. */
export interface AlertInput {
  key: string;
  type: AlertType;
  orderId: string | null;
  level: AlertLevel;
  message: string;
  notify: readonly string[];
  details: unknown;
}

const levelRank: Record<AlertLevel, number> = { warning: 1, breach: 2, escalation: 3 };

/** Alerts: SLA levels, path violations, invalid signatures. */
export type AlertsRepository = ReturnType<typeof createAlertsRepository>;

/** Creates the repository of alerts; {@link AlertsRepository.raise} runs inside the caller's transaction. */
export function createAlertsRepository(db: Db) {
  const selectByKey = db.prepare<[string], AlertRow>('SELECT * FROM alerts WHERE key = ?');
  const selectById = db.prepare<[number], AlertRow>('SELECT * FROM alerts WHERE id = ?');
  const insert = db.prepare(
    `INSERT INTO alerts (key, type, order_id, level, state, message, notify, details, raised_at, updated_at)
     VALUES (@key, @type, @orderId, @level, 'open', @message, @notify, @details, @now, @now)`,
  );
  const escalate = db.prepare(
    `UPDATE alerts SET level = @level, state = 'open', message = @message, notify = @notify, details = @details,
       occurrences = occurrences + 1, updated_at = @now WHERE id = @id`,
  );
  const repeat = db.prepare(
    'UPDATE alerts SET occurrences = occurrences + 1, updated_at = @now WHERE id = @id',
  );
  const ack = db.prepare(
    `UPDATE alerts SET state = 'acked', acked_at = @now, acked_by = @actor WHERE id = @id AND state = 'open'`,
  );
  const selectPage = db.prepare<
    {
      state: string | null;
      level: string | null;
      type: string | null;
      orderId: string | null;
      before: number | null;
      limit: number;
    },
    AlertRow
  >(
    `SELECT * FROM alerts WHERE (@state IS NULL OR state = @state) AND (@level IS NULL OR level = @level)
       AND (@type IS NULL OR type = @type) AND (@orderId IS NULL OR order_id = @orderId)
       AND (@before IS NULL OR id < @before)
     ORDER BY id DESC LIMIT @limit`,
  );
  const selectOpenByOrder = db.prepare<[string], AlertRow>(
    `SELECT * FROM alerts WHERE order_id = ? AND state = 'open' ORDER BY id`,
  );

  return {
    /**
     * Raises an alert: a new key opens a row; a higher level for a known key raises its level and
     * re-opens it (an acknowledged warning that becomes a breach needs attention again); the same or a
     * lower level only counts another occurrence.
     *
     * @returns the alert and whether its level changed (so the caller announces it).
     */
    raise(input: AlertInput, now: number): { alert: Alert; change: 'opened' | 'escalated' | 'repeated' } {
      const existing = selectByKey.get(input.key);
      const row = {
        ...input,
        notify: JSON.stringify(input.notify),
        details: JSON.stringify(input.details ?? null),
        now,
      };
      let change: 'opened' | 'escalated' | 'repeated';
      let id: number;
      if (!existing) {
        id = Number(insert.run(row).lastInsertRowid);
        change = 'opened';
      } else if (levelRank[input.level] > levelRank[existing.level]) {
        escalate.run({ ...row, id: existing.id });
        id = existing.id;
        change = 'escalated';
      } else {
        repeat.run({ id: existing.id, now });
        id = existing.id;
        change = 'repeated';
      }
      const stored = selectById.get(id);
      if (!stored) throw new Error(`alert ${id} vanished after being written`);
      return { alert: toAlert(stored), change };
    },

    /** The alert, or undefined. */
    get(id: number): Alert | undefined {
      const row = selectById.get(id);
      return row ? toAlert(row) : undefined;
    },

    /** Acknowledges an open alert; false when it does not exist. An acked alert stays acked. */
    ack(id: number, actor: string, now: number): Alert | undefined {
      ack.run({ id, actor, now });
      const row = selectById.get(id);
      return row ? toAlert(row) : undefined;
    },

    /** One page, newest first. */
    list(filter: {
      state?: string | undefined;
      level?: string | undefined;
      type?: string | undefined;
      orderId?: string | undefined;
      before?: number | undefined;
      limit: number;
    }): Alert[] {
      return selectPage
        .all({
          state: filter.state ?? null,
          level: filter.level ?? null,
          type: filter.type ?? null,
          orderId: filter.orderId ?? null,
          before: filter.before ?? null,
          limit: filter.limit,
        })
        .map(toAlert);
    },

    /** An order's open alerts, oldest first. */
    openForOrder(orderId: string): Alert[] {
      return selectOpenByOrder.all(orderId).map(toAlert);
    },
  };
}

function toAlert(row: AlertRow): Alert {
  return {
    id: row.id,
    type: row.type,
    orderId: row.order_id,
    level: row.level,
    state: row.state,
    message: row.message,
    notify: JSON.parse(row.notify) as string[],
    details: JSON.parse(row.details) as unknown,
    occurrences: row.occurrences,
    raisedAt: new Date(row.raised_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    ackedAt: row.acked_at === null ? null : new Date(row.acked_at).toISOString(),
    ackedBy: row.acked_by,
  };
}
