import { defineConfig } from 'vitest/config';

// vitest 5 groups failures with Map.groupBy (Node 22+) in its reporter; Node 20 lacks it, so a failing
// test would crash the reporter instead of being reported.
if (!('groupBy' in Map)) {
  Object.defineProperty(Map, 'groupBy', {
    value<K, V>(items: Iterable<V>, key: (item: V, index: number) => K): Map<K, V[]> {
      const groups = new Map<K, V[]>();
      let index = 0;
      for (const item of items) {
        const k = key(item, index++);
        const group = groups.get(k);
        if (group) group.push(item);
        else groups.set(k, [item]);
      }
      return groups;
    },
  });
}

export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/runtime', 'apps/designer'],
  },
});
