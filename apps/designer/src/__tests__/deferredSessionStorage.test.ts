import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deferredSessionStorage } from '../store/deferredSessionStorage.ts';

const written: [string, string][] = [];
const memory = new Map<string, string>();

beforeEach(() => {
  vi.useFakeTimers();
  written.length = 0;
  memory.clear();
  vi.stubGlobal('sessionStorage', {
    getItem: (k: string) => memory.get(k) ?? null,
    setItem: (k: string, v: string) => {
      written.push([k, v]);
      memory.set(k, v);
    },
    removeItem: (k: string) => void memory.delete(k),
  });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('deferredSessionStorage', () => {
  it('writes only the latest state, once, after the delay, and reads it back before and after', () => {
    const storage = deferredSessionStorage<{ text: string }>(500);
    storage.setItem('buffers', { state: { text: 'a' }, version: 0 });
    storage.setItem('buffers', { state: { text: 'ab' }, version: 0 });
    expect(written).toEqual([]);
    expect(storage.getItem('buffers')).toEqual({ state: { text: 'ab' }, version: 0 });

    vi.advanceTimersByTime(499);
    expect(written).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(written).toEqual([['buffers', JSON.stringify({ state: { text: 'ab' }, version: 0 })]]);
    expect(storage.getItem('buffers')).toEqual({ state: { text: 'ab' }, version: 0 });
  });

  it('forgets a pending write when the item is removed', () => {
    const storage = deferredSessionStorage<{ text: string }>(500);
    storage.setItem('buffers', { state: { text: 'x' }, version: 0 });
    storage.removeItem('buffers');
    vi.advanceTimersByTime(1000);
    expect(written).toEqual([]);
    expect(storage.getItem('buffers')).toBeNull();
  });
});
