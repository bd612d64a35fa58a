/**
 * Returns a function that builds `{ [keys[i]]: values[i] }`. Object literals whose computed keys are
 * constant per site keep V8's inline caches monomorphic; assigning varying keys in a loop does not and
 * costs several times more — this runs for every candidate of every decision.
 */
export function recordBuilder<V>(keys: readonly string[]): (values: readonly V[]) => Record<string, V> {
  const [a, b, c, d, e, f, g, h] = keys as readonly string[] & { length: number };
  const generic = (values: readonly V[]): Record<string, V> => {
    const out: Record<string, V> = {};
    for (let i = 0; i < keys.length; i++) out[keys[i] as string] = values[i] as V;
    return out;
  };
  const k = (key: string | undefined) => key as string;
  switch (keys.length) {
    case 1:
      return (v) => ({ [k(a)]: v[0] as V });
    case 2:
      return (v) => ({ [k(a)]: v[0] as V, [k(b)]: v[1] as V });
    case 3:
      return (v) => ({ [k(a)]: v[0] as V, [k(b)]: v[1] as V, [k(c)]: v[2] as V });
    case 4:
      return (v) => ({ [k(a)]: v[0] as V, [k(b)]: v[1] as V, [k(c)]: v[2] as V, [k(d)]: v[3] as V });
    case 5:
      return (v) => ({
        [k(a)]: v[0] as V,
        [k(b)]: v[1] as V,
        [k(c)]: v[2] as V,
        [k(d)]: v[3] as V,
        [k(e)]: v[4] as V,
      });
    case 6:
      return (v) => ({
        [k(a)]: v[0] as V,
        [k(b)]: v[1] as V,
        [k(c)]: v[2] as V,
        [k(d)]: v[3] as V,
        [k(e)]: v[4] as V,
        [k(f)]: v[5] as V,
      });
    case 7:
      return (v) => ({
        [k(a)]: v[0] as V,
        [k(b)]: v[1] as V,
        [k(c)]: v[2] as V,
        [k(d)]: v[3] as V,
        [k(e)]: v[4] as V,
        [k(f)]: v[5] as V,
        [k(g)]: v[6] as V,
      });
    case 8:
      return (v) => ({
        [k(a)]: v[0] as V,
        [k(b)]: v[1] as V,
        [k(c)]: v[2] as V,
        [k(d)]: v[3] as V,
        [k(e)]: v[4] as V,
        [k(f)]: v[5] as V,
        [k(g)]: v[6] as V,
        [k(h)]: v[7] as V,
      });
    default:
      return generic;
  }
}
