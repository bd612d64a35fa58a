import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { chainEntry, type EntryBody, genesisHash, sha256Hex } from '../status/chainEntry.ts';

const signedEvent = {
  eventId: 'SO-1-PAID',
  system: 'douyin',
  code: 'PAID',
  occurredAt: '2026-11-11T00:00:00+08:00',
  channel: 'douyin',
  keyId: 'k1',
  data: { amount: 12.5, note: 'fünf "Sterne"', zeta: [3, { b: 1, a: 2 }] },
};

const eventBody: EntryBody = {
  type: 'event',
  orderId: 'SO-1',
  receivedAt: Date.parse('2026-11-11T00:00:01.250Z'),
  signature: { value: 'c2ln', keyId: 'k1', verified: true },
  event: signedEvent,
};

// The entry as RFC 8785 JSON of the whole object, which is what verification recomputes.
function expectedText(body: EntryBody, seq: number, prevHash: string): string {
  const { eventText: _eventText, ...entry } = body as EntryBody & { eventText?: string };
  return canonicalize({ ...entry, receivedAt: new Date(body.receivedAt).toISOString(), seq, prevHash }) ?? '';
}

describe('chainEntry', () => {
  it('stores an event entry as the canonical JSON of the whole entry', () => {
    const entry = chainEntry(eventBody, 7, genesisHash);
    expect(entry.text).toBe(expectedText(eventBody, 7, genesisHash));
    expect(entry.hash).toBe(sha256Hex(entry.text));
    expect(Object.keys(JSON.parse(entry.text) as object)[0]).toBe('event');
  });

  it('gives the same text and hash when the caller passes the canonical event text it already has', () => {
    const withText = chainEntry({ ...eventBody, eventText: canonicalize(signedEvent) }, 7, genesisHash);
    const without = chainEntry(eventBody, 7, genesisHash);
    expect(withText).toEqual(without);
    expect(withText.text).not.toContain('eventText');
  });

  it('chains a transition entry on the previous hash', () => {
    const first = chainEntry(eventBody, 1, genesisHash);
    const body: EntryBody = {
      type: 'transition',
      orderId: 'SO-1',
      receivedAt: eventBody.receivedAt,
      signature: null,
      transition: { id: 'pay', from: 'created', to: 'paid', at: '2026-11-11T00:00:01.250Z' },
      cause: { system: 'douyin', code: 'PAID', eventId: 'SO-1-PAID', seq: 1 },
      graph: { id: 'china-peak', version: 1, environment: 'production' },
    };
    const second = chainEntry(body, 2, first.hash);
    expect(second.text).toBe(expectedText(body, 2, first.hash));
    expect(JSON.parse(second.text)).toMatchObject({ seq: 2, prevHash: first.hash });
  });
});
