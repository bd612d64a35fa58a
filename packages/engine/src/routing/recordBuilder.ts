/**
 * Returns a function that builds `{ [keys[f]]: value(context, f, item) }` for every f, in key order.
 * Object literals whose computed keys are constant per site keep V8's inline caches monomorphic;
 * assigning varying keys in a loop does not and costs several times more. Values are made in place,
 * without an intermediate array — this runs for every factor record a decision's table builds.
 *
 * @example
 * const record = recordBuilder(['cost', 'eta'], (row: number[], f) => row[f]);
 * record([3, 5], 0); // { cost: 3, eta: 5 }
 */
export function recordBuilder<V, C>(
  keys: readonly string[],
  value: (context: C, key: number, item: number) => V,
): (context: C, item: number) => Record<string, V> {
  const [a, b, c, d, e, f, g, h] = keys as readonly string[] & { length: number };
  const k = (key: string | undefined) => key as string;
  switch (keys.length) {
    case 1:
      return (x, i) => ({ [k(a)]: value(x, 0, i) });
    case 2:
      return (x, i) => ({ [k(a)]: value(x, 0, i), [k(b)]: value(x, 1, i) });
    case 3:
      return (x, i) => ({ [k(a)]: value(x, 0, i), [k(b)]: value(x, 1, i), [k(c)]: value(x, 2, i) });
    case 4:
      return (x, i) => ({
        [k(a)]: value(x, 0, i),
        [k(b)]: value(x, 1, i),
        [k(c)]: value(x, 2, i),
        [k(d)]: value(x, 3, i),
      });
    case 5:
      return (x, i) => ({
        [k(a)]: value(x, 0, i),
        [k(b)]: value(x, 1, i),
        [k(c)]: value(x, 2, i),
        [k(d)]: value(x, 3, i),
        [k(e)]: value(x, 4, i),
      });
    case 6:
      return (x, i) => ({
        [k(a)]: value(x, 0, i),
        [k(b)]: value(x, 1, i),
        [k(c)]: value(x, 2, i),
        [k(d)]: value(x, 3, i),
        [k(e)]: value(x, 4, i),
        [k(f)]: value(x, 5, i),
      });
    case 7:
      return (x, i) => ({
        [k(a)]: value(x, 0, i),
        [k(b)]: value(x, 1, i),
        [k(c)]: value(x, 2, i),
        [k(d)]: value(x, 3, i),
        [k(e)]: value(x, 4, i),
        [k(f)]: value(x, 5, i),
        [k(g)]: value(x, 6, i),
      });
    case 8:
      return (x, i) => ({
        [k(a)]: value(x, 0, i),
        [k(b)]: value(x, 1, i),
        [k(c)]: value(x, 2, i),
        [k(d)]: value(x, 3, i),
        [k(e)]: value(x, 4, i),
        [k(f)]: value(x, 5, i),
        [k(g)]: value(x, 6, i),
        [k(h)]: value(x, 7, i),
      });
    default:
      return (x, i) => {
        const out: Record<string, V> = {};
        for (let n = 0; n < keys.length; n++) out[keys[n] as string] = value(x, n, i);
        return out;
      };
  }
}
