import { describe, expect, it } from 'vitest';
import { checkCel } from '../checkCel.ts';
import { factPathsRead } from '../factPathsRead.ts';

describe('checkCel', () => {
  it.each([
    'has(facts.wms.outboundNo) && has(facts.carrier.waybillNo) && facts.finance.paymentConfirmed == true',
    'order.customer.tier == "vip"',
    'order.lines.exists(l, l.qty > 1) ? 1.5 : 1.0',
    'timestamp(event.occurredAt) - timestamp(order.placedAt) > duration("15m")',
  ])('accepts %s', (expression) => {
    expect(checkCel(expression)).toEqual({ ok: true });
  });

  it('reports the parser message with a 1-based line and column', () => {
    expect(checkCel('has(facts.wms.outboundNo) &&')).toEqual({
      ok: false,
      message: 'Unexpected token: EOF',
      line: 1,
      column: 29,
    });
  });

  it('counts lines and columns inside a multi-line expression', () => {
    expect(checkCel('a &&\n  b &&\n  c +)')).toMatchObject({ ok: false, line: 3, column: 6 });
  });

  it('points an unterminated string at its opening quote', () => {
    expect(checkCel('order.channel == "douyin')).toEqual({
      ok: false,
      message: 'Unterminated string',
      line: 1,
      column: 18,
    });
  });

  it('rejects an empty expression', () => {
    expect(checkCel('')).toMatchObject({ ok: false, line: 1, column: 1 });
  });
});

describe('factPathsRead', () => {
  it('lists the fact paths a guard reads, through has(), selection and string indexes', () => {
    expect(
      factPathsRead(
        'has(facts.wms.outboundNo) && facts["carrier"].waybillNo != "" && facts.finance.paymentConfirmed == true',
      ),
    ).toEqual(['wms.outboundNo', 'carrier.waybillNo', 'finance.paymentConfirmed']);
  });

  it('reads the containing map when the index is computed', () => {
    expect(factPathsRead('facts.wms[key] == 1')).toEqual(['wms']);
  });

  it('ignores other variables and returns [] for an expression that does not parse', () => {
    expect(factPathsRead('order.facts.wms == 1 && event.code == "X"')).toEqual([]);
    expect(factPathsRead('facts.wms &&')).toEqual([]);
  });

  it('yields "" when facts is read as a whole', () => {
    expect(factPathsRead('size(facts) > 0')).toEqual(['']);
  });
});
