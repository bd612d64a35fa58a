import { recordBuilder } from './routing/recordBuilder.ts';
import type { FactorValue } from './routingDecision.ts';

/**
 * Builds the factor record of one candidate of a table, given its column (not its ranking position);
 * see {@link FactorTable.recordBuilder}.
 */
export type FactorRecordBuilder = (table: FactorTable, column: number) => Record<string, FactorValue>;

/**
 * Every candidate's factor values of one decision, as columns: the raw and normalised value of each
 * factor for each candidate, the weights, and which candidate sits at which ranking position. A
 * decision keeps its factor values here rather than as one record per candidate, because most
 * consumers read few of them (an answer shows the winner and runner-up); {@link factorsOf} and
 * `rankingWithFactors` build the records on demand.
 *
 * Immutable: it owns a copy of the decision's values. A contribution is not stored but recomputed as
 * `normalized × weight / Σ weights` — the very expression the score was summed from, so it is the
 * same double. `JSON.stringify` writes the records in ranking order (see {@link toJSON}); a structured
 * clone (`postMessage`) keeps the data fields but not the methods, so send JSON or built records
 * across threads instead.
 *
 * @example
 * const decision = strategy.route(order, facts, at);
 * decision.factorTable.factorsOf(0); // the winner's { eta: { raw, normalized, weight, contribution }, … }
 * decision.factorTable.normalized(1, decision.factorTable.factorIds.indexOf('carbon'));
 */
export class FactorTable {
  /** The factors' ids in definition order (shared by every decision of one compiled strategy). */
  readonly factorIds: readonly string[];
  /** Per factor, in the order of {@link factorIds}: the weight this decision applied. */
  readonly weights: readonly number[];
  /** How many candidates the table holds: the ranking's length. */
  readonly length: number;
  // Plain (not #private) fields: deep equality, structured clone and debuggers see the values.
  /** Σ weights; contributions are 0 when it is not positive. */
  private readonly weightSum: number;
  /**
   * Raw values, then normalised values, factor-major by candidate column: factor f of column j is at
   * `f * length + j` (raw) and `(factorIds.length + f) * length + j` (normalised). A plain array: a
   * Float64Array's backing store costs more to allocate than copying the values does.
   */
  private readonly values: readonly number[];
  /** Per ranking position: the candidate's column in `values`. */
  private readonly columns: readonly number[];
  // #private: a function is not data, and would make tables of equal values compare unequal.
  readonly #record: FactorRecordBuilder;

  /**
   * Made by `compileRouting`; `values` and `columns` become the table's own (not copied).
   *
   * @param record the builder of one position's record, made once per list of factor ids with
   *   {@link FactorTable.recordBuilder} (a new one is made when absent).
   */
  constructor(
    factorIds: readonly string[],
    weights: readonly number[],
    weightSum: number,
    values: readonly number[],
    columns: readonly number[],
    record?: FactorRecordBuilder,
  ) {
    this.factorIds = factorIds;
    this.weights = weights;
    this.length = columns.length;
    this.weightSum = weightSum;
    this.values = values;
    this.columns = columns;
    this.#record = record ?? FactorTable.recordBuilder(factorIds);
  }

  /**
   * A builder of factor records keyed by `factorIds`, for tables of these ids. Records built by one
   * builder share their shape, so reuse it for every table of a strategy.
   */
  static recordBuilder(factorIds: readonly string[]): FactorRecordBuilder {
    return recordBuilder<FactorValue, FactorTable>(factorIds, (table, f, column) => table.cell(column, f));
  }

  /** Factor `factor` (index into {@link factorIds}) of the candidate at ranking position `position`: its raw value. */
  raw(position: number, factor: number): number {
    return this.values[factor * this.length + this.column(position)] as number;
  }

  /** The normalised value (see {@link FactorValue.normalized}). */
  normalized(position: number, factor: number): number {
    return this.values[(this.factorIds.length + factor) * this.length + this.column(position)] as number;
  }

  /** The contribution to the score: `normalized × weight / Σ weights`, 0 when the weights add up to 0. */
  contribution(position: number, factor: number): number {
    const { weightSum } = this;
    return weightSum > 0
      ? (this.normalized(position, factor) * (this.weights[factor] as number)) / weightSum
      : 0;
  }

  /** All four values of one factor of the candidate at `position`. */
  value(position: number, factor: number): FactorValue {
    return this.cell(this.column(position), factor);
  }

  /** The factor record of the candidate at ranking position `position`, keyed by factor id in definition order. */
  factorsOf(position: number): Record<string, FactorValue> {
    return this.#record(this, this.column(position));
  }

  /** Every position's factor record, in ranking order: how a decision serialises its factor table. */
  toJSON(): Record<string, FactorValue>[] {
    const out = new Array<Record<string, FactorValue>>(this.length);
    for (let r = 0; r < this.length; r++) out[r] = this.#record(this, this.columns[r] as number);
    return out;
  }

  /** Factor `factor` of the candidate in column `column` (unchecked: callers resolved the column). */
  private cell(column: number, factor: number): FactorValue {
    const normalized = this.values[(this.factorIds.length + factor) * this.length + column] as number;
    const weight = this.weights[factor] as number;
    const { weightSum } = this;
    return {
      raw: this.values[factor * this.length + column] as number,
      normalized,
      weight,
      contribution: weightSum > 0 ? (normalized * weight) / weightSum : 0,
    };
  }

  private column(position: number): number {
    const column = this.columns[position];
    if (column === undefined) {
      throw new RangeError(`no ranking position ${position} (the table holds ${this.length})`);
    }
    return column;
  }
}
