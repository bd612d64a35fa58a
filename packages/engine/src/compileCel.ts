import { Optional, parse } from '@marcbachmann/cel-js';

/** Variables visible to a CEL expression, e.g. `{ order, warehouse, lane, params }`. */
export type CelContext = Record<string, unknown>;

/** Where a {@link CelError} happened: while parsing, while evaluating, or checking the result's type. */
export type CelErrorPhase = 'parse' | 'evaluate' | 'result';

/**
 * A CEL expression failed to parse, to evaluate, or returned the wrong type. Carries the expression,
 * the JSON Pointer of the expression inside its definition (when the caller gave one) and a 1-based
 * line/column, so it maps directly onto a lint `Report`.
 */
export class CelError extends Error {
  override readonly name = 'CelError';
  readonly expression: string;
  readonly phase: CelErrorPhase;
  /** The message without the caret display of the expression. */
  readonly summary: string;
  /** JSON Pointer of the expression in its definition, e.g. `/factors/3/expression`. */
  readonly path: string | undefined;
  /** 0-based offset into `expression`. */
  readonly position: number | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(init: {
    expression: string;
    phase: CelErrorPhase;
    summary: string;
    path?: string | undefined;
    position?: number | undefined;
    cause?: unknown;
  }) {
    const where = init.path ? ` at ${init.path}` : '';
    super(`CEL ${init.phase} error${where}: ${init.summary} (in \`${init.expression}\`)`, {
      cause: init.cause,
    });
    this.expression = init.expression;
    this.phase = init.phase;
    this.summary = init.summary;
    this.path = init.path;
    this.position = init.position;
    if (init.position === undefined) {
      this.line = undefined;
      this.column = undefined;
    } else {
      const before = init.expression.slice(0, init.position).split('\n');
      this.line = before.length;
      this.column = (before.at(-1)?.length ?? 0) + 1;
    }
  }
}

/** A CEL expression parsed once, to be evaluated many times. */
export interface CompiledCel {
  readonly expression: string;
  /** Evaluates with `context`; CEL integers (bigint) and unsigned integers come back as JS numbers. */
  evaluate(context: CelContext): unknown;
  /** Evaluates and requires a bool result. */
  evaluateBoolean(context: CelContext): boolean;
  /** Evaluates and requires a finite number (int or double) result. */
  evaluateNumber(context: CelContext): number;
}

/** Options of {@link compileCel}. */
export interface CompileCelOptions {
  /** JSON Pointer of the expression in its definition, copied into every {@link CelError}. */
  path?: string;
}

/**
 * Parses a CEL expression once and returns an evaluator. Throws a {@link CelError} (phase `parse`)
 * when the expression does not parse; evaluation failures throw a {@link CelError} (phase `evaluate`).
 *
 * CEL keeps int and double apart: JS numbers in the context are doubles, so write `order.value > 100.0`
 * or `double(x) * 1.2` rather than mixing an int literal into double arithmetic.
 *
 * @example
 * const vip = compileCel('order.customer.tier == "vip"', { path: '/segments/0/when' });
 * vip.evaluateBoolean({ order }); // true | false
 */
export function compileCel(expression: string, options: CompileCelOptions = {}): CompiledCel {
  const path = options.path;
  let program: ReturnType<typeof parse>;
  try {
    program = parse(expression);
  } catch (error) {
    throw toCelError(error, expression, 'parse', path);
  }
  const evaluate = (context: CelContext): unknown => {
    let value: unknown;
    try {
      value = program(context);
    } catch (error) {
      throw toCelError(error, expression, 'evaluate', path);
    }
    return fromCel(value);
  };
  return {
    expression,
    evaluate,
    evaluateBoolean(context) {
      const value = evaluate(context);
      if (typeof value !== 'boolean') {
        throw new CelError({
          expression,
          phase: 'result',
          path,
          summary: `expected a bool, got ${describe(value)}`,
        });
      }
      return value;
    },
    evaluateNumber(context) {
      const value = evaluate(context);
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new CelError({
          expression,
          phase: 'result',
          path,
          summary: `expected a finite number, got ${describe(value)}`,
        });
      }
      return value;
    },
  };
}

function toCelError(
  error: unknown,
  expression: string,
  phase: CelErrorPhase,
  path: string | undefined,
): CelError {
  if (error instanceof Error) {
    const located = error as Error & {
      summary?: unknown;
      range?: { start: number };
      node?: { pos?: number };
    };
    const summary = typeof located.summary === 'string' ? located.summary : error.message;
    const position = located.range?.start ?? located.node?.pos;
    return new CelError({ expression, phase, summary, path, position, cause: error });
  }
  return new CelError({ expression, phase, summary: String(error), path, cause: error });
}

/** CEL ints are bigint and uints a wrapper object; callers of the engine only ever want JS numbers. */
function fromCel(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(fromCel);
  if (value instanceof Optional) return value.hasValue() ? fromCel(value.value()) : null;
  const primitive = value.valueOf();
  if (typeof primitive === 'bigint') return Number(primitive);
  if (Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = fromCel(item);
    return out;
  }
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number') return String(value);
  return typeof value === 'object' ? 'a map' : typeof value;
}
