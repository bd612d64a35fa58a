import type { SlaTimer } from '@orderloom/engine';
import type { Db } from './openDatabase.ts';

/** Stored SLA deadlines (one row per SLA level of a stay), so they survive a restart. */
export type SlaTimersRepository = ReturnType<typeof createSlaTimersRepository>;

/** Creates the repository of SLA timer rows; writes run inside the caller's transaction. */
export function createSlaTimersRepository(db: Db) {
  const upsert = db.prepare(
    `INSERT INTO sla_timers (id, order_id, due_at, timer) VALUES (@id, @orderId, @dueAt, @timer)
     ON CONFLICT (id) DO UPDATE SET due_at = excluded.due_at, timer = excluded.timer`,
  );
  const remove = db.prepare<[string]>('DELETE FROM sla_timers WHERE id = ?');
  const selectDue = db
    .prepare<[number, number], string>(
      'SELECT timer FROM sla_timers WHERE due_at <= ? ORDER BY due_at, id LIMIT ?',
    )
    .pluck();
  const selectNext = db.prepare<[], number | null>('SELECT min(due_at) FROM sla_timers').pluck();
  const selectByOrder = db
    .prepare<[string], string>('SELECT timer FROM sla_timers WHERE order_id = ? ORDER BY due_at, id')
    .pluck();
  const selectOne = db.prepare<[string], string>('SELECT timer FROM sla_timers WHERE id = ?').pluck();

  return {
    /** Applies the engine's `slaTimers` effect: cancelled rows are deleted, scheduled rows written. */
    apply(effect: { schedule: readonly SlaTimer[]; cancel: readonly string[] }): void {
      for (const id of effect.cancel) remove.run(id);
      for (const timer of effect.schedule) {
        upsert.run({
          id: timer.id,
          orderId: timer.orderId,
          dueAt: timer.dueAt,
          timer: JSON.stringify(timer),
        });
      }
    },
    /** Timers due at `now`, earliest first. */
    due(now: number, limit = 100): SlaTimer[] {
      return selectDue.all(now, limit).map((t) => JSON.parse(t) as SlaTimer);
    },
    /** The timer, if still stored. */
    get(id: string): SlaTimer | undefined {
      const t = selectOne.get(id);
      return t === undefined ? undefined : (JSON.parse(t) as SlaTimer);
    },
    /** When the earliest timer is due (epoch ms), or undefined when none is stored. */
    nextDueAt(): number | undefined {
      return selectNext.get() ?? undefined;
    },
    /** An order's pending deadlines, earliest first. */
    listByOrder(orderId: string): SlaTimer[] {
      return selectByOrder.all(orderId).map((t) => JSON.parse(t) as SlaTimer);
    },
    /** Deletes a fired or stale timer. */
    delete(id: string): void {
      remove.run(id);
    },
  };
}
