import { describe, expect, it } from 'vitest';
import { fixedClock } from '../clock.ts';
import { CelError, compileCel } from '../compileCel.ts';

describe('compileCel', () => {
  it('evaluates with a context and returns CEL integers as JS numbers', () => {
    const sum = compileCel('a + 2');
    expect(sum.evaluate({ a: 40n })).toBe(42);
    expect(compileCel('[1, 2]').evaluate({})).toEqual([1, 2]);
    expect(compileCel('{"n": 3}').evaluate({})).toEqual({ n: 3 });
    expect(compileCel('7u').evaluate({})).toBe(7);
  });

  it('reads JS numbers as doubles', () => {
    const share = compileCel('(w.capacityPerDay - w.load) / w.capacityPerDay');
    expect(share.evaluateNumber({ w: { capacityPerDay: 1000, load: 250 } })).toBe(0.75);
  });

  it('throws a CelError with the expression, its path and a 1-based position when it does not parse', () => {
    let caught: unknown;
    try {
      compileCel('order.value >\n  ', { path: '/segments/0/when' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CelError);
    const error = caught as CelError;
    expect(error.phase).toBe('parse');
    expect(error.expression).toBe('order.value >\n  ');
    expect(error.path).toBe('/segments/0/when');
    expect(error.line).toBe(2);
    expect(error.column).toBeGreaterThanOrEqual(1);
    expect(error.message).toContain('/segments/0/when');
  });

  it('throws a CelError naming the expression when evaluation fails', () => {
    const missing = compileCel('order.customer.tier == "vip"');
    expect(() => missing.evaluate({})).toThrow(CelError);
    try {
      missing.evaluate({});
    } catch (error) {
      expect((error as CelError).phase).toBe('evaluate');
      expect((error as CelError).message).toContain('order.customer.tier == "vip"');
    }
  });

  it('checks the result type', () => {
    expect(compileCel('1 < 2').evaluateBoolean({})).toBe(true);
    expect(() => compileCel('"yes"').evaluateBoolean({})).toThrow(/expected a bool/);
    expect(compileCel('2 * 3').evaluateNumber({})).toBe(6);
    expect(() => compileCel('true').evaluateNumber({})).toThrow(/expected a finite number/);
  });
});

describe('fixedClock', () => {
  it('always answers the time it was given', () => {
    const clock = fixedClock(Date.parse('2026-11-11T00:00:00+08:00'));
    expect(clock.now()).toBe(Date.parse('2026-11-10T16:00:00Z'));
    expect(clock.now()).toBe(clock.now());
  });

  it('refuses a time that is not a number', () => {
    expect(() => fixedClock(Number.NaN)).toThrow(RangeError);
  });
});
