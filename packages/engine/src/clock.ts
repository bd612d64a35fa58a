/**
 * The source of "now" for everything time-dependent in the engine. The engine never reads the system
 * time itself: the runtime passes a real clock, tests and replays pass a fixed one.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/**
 * A clock that always answers `ms` (epoch milliseconds) — for tests, simulations and replays.
 *
 * @example
 * const clock = fixedClock(Date.parse('2026-11-11T00:00:00+08:00'));
 * route(order, facts, clock.now());
 */
export function fixedClock(ms: number): Clock {
  if (!Number.isFinite(ms)) throw new RangeError(`fixedClock needs a finite epoch-ms value, got ${ms}`);
  return { now: () => ms };
}
