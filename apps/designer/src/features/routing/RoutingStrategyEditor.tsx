import './routingEditor.css';
import { checkCel, factorTypes, type Report, warehouseTiers } from '@orderloom/schema';
import { type ReactNode, useEffect, useId, useMemo, useRef, useState } from 'react';
import { Button } from '../../components/Button.tsx';
import { Icon } from '../../components/Icon.tsx';
import { LazyCelEditor } from '../../components/LazyMonaco.tsx';
import { factorColor } from '../../lib/factorColor.ts';
import { uniqueKeys } from '../../lib/uniqueKeys.ts';
import { type RoutingCelSite, routingCelVariables } from '../../monaco/celVariables.ts';
import { useCanvasStore } from '../../store/canvasStore.ts';
import type { CanvasProps } from '../kindDescriptor.ts';
import { RoutingSidePanel } from './backtest/RoutingSidePanel.tsx';
import {
  addConstraint,
  addFactor,
  addParameter,
  addParameterWindow,
  addSegment,
  moveTier,
  parseRoutingDraft,
  type RoutingDraft,
  removeConstraint,
  removeFactor,
  removeParameter,
  removeParameterWindow,
  removeSegment,
  reportsByField,
  routingDraftText,
  setFactorWeight,
  setSegmentWeight,
  setSplit,
  updateConstraint,
  updateFactor,
  updateParameter,
  updateParameterWindow,
  updateSegment,
  weightShares,
} from './routingModel.ts';
import { StrategySearch } from './StrategySearch.tsx';

/**
 * The routing-strategy form ("Strategy" view): every edit is a pure function over the parsed buffer,
 * written back as JSON, so the JSON view and the form never disagree. Next to it, the what-if panel
 * routes a stored decision with the draft on every change. Default export for `React.lazy`.
 */
export default function RoutingStrategyEditor(props: CanvasProps) {
  const parsed = useMemo(() => parseRoutingDraft(props.text), [props.text]);
  if (!parsed.ok) {
    return (
      <div className="canvas-invalid" role="alert" data-testid="strategy-invalid">
        <Icon name="error" size={28} />
        <h2>The strategy form cannot show this draft</h2>
        <p>{parsed.message}</p>
        <Button onClick={() => useCanvasStore.getState().setView(props.bufferKey, 'json')}>
          Open JSON view
        </Button>
      </div>
    );
  }
  return <StrategyForm {...props} draft={parsed.draft} />;
}

function StrategyForm({
  bufferKey,
  draft,
  onChange,
  reports,
  editable,
}: CanvasProps & { draft: RoutingDraft }) {
  const commit = (next: RoutingDraft) => onChange(routingDraftText(next));
  const byField = useMemo(() => reportsByField(reports), [reports]);
  const selection = useCanvasStore((s) => s.selections[bufferKey] ?? null);
  const revealRequest = useCanvasStore((s) => s.revealRequests[bufferKey] ?? 0);
  const formRef = useRef<HTMLDivElement>(null);

  // A problem clicked in the problems panel: scroll its field into view and focus it.
  useEffect(() => {
    if (!revealRequest || !selection) return;
    const key = selection.id === '' ? selection.type : `${selection.type}/${selection.id}`;
    const target = formRef.current?.querySelector<HTMLElement>(`[data-field="${key}"]`);
    target?.scrollIntoView({ block: 'center', behavior: 'smooth' });
    target?.querySelector<HTMLElement>('input, select, textarea')?.focus({ preventScroll: true });
  }, [revealRequest, selection]);

  return (
    <div className="strategy-layout" data-testid="strategy-editor">
      <div className="strategy-form" ref={formRef}>
        <StrategySearch draft={draft} formRef={formRef} />
        <fieldset disabled={!editable} className="strategy-fieldset">
          <FactorsSection draft={draft} commit={commit} byField={byField} />
          <ConstraintsSection draft={draft} commit={commit} byField={byField} />
          <ParametersSection draft={draft} commit={commit} byField={byField} />
          <SegmentsSection draft={draft} commit={commit} byField={byField} />
          <TiersSection draft={draft} commit={commit} byField={byField} />
          <SplitSection draft={draft} commit={commit} byField={byField} />
        </fieldset>
      </div>
      <RoutingSidePanel draft={draft} bufferKey={bufferKey} />
    </div>
  );
}

interface SectionProps {
  draft: RoutingDraft;
  commit: (next: RoutingDraft) => void;
  byField: Map<string, Report[]>;
}

function Notes({ reports }: { reports: readonly Report[] | undefined }) {
  if (!reports?.length) return null;
  return (
    <ul className="field-reports">
      {reports.map((r) => (
        <li
          key={`${r.path}:${r.message}`}
          className={r.severity === 'error' ? 'field-error' : 'field-warning'}
        >
          <Icon name={r.severity === 'error' ? 'error' : 'alert'} size={12} /> {r.message}
          <span className="muted"> · {r.path}</span>
        </li>
      ))}
    </ul>
  );
}

function Section(props: {
  title: string;
  hint: string;
  field: string;
  action?: ReactNode;
  children: ReactNode;
  byField: Map<string, Report[]>;
}) {
  return (
    <section className="strategy-section" data-field={props.field} aria-label={props.title}>
      <header className="strategy-section-header">
        <div>
          <h2>{props.title}</h2>
          <p className="muted small">{props.hint}</p>
        </div>
        {props.action}
      </header>
      <Notes reports={props.byField.get(props.field)} />
      {props.children}
    </section>
  );
}

/** A CEL expression in the compact monaco editor, completing the variables `site` sees. */
function CelField({
  label,
  value,
  onChange,
  testId,
  site,
  parameters,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  testId?: string;
  site: RoutingCelSite;
  parameters: RoutingDraft['parameters'];
}) {
  const id = useId();
  const cel = value.trim() === '' ? null : checkCel(value);
  const variables = useMemo(() => routingCelVariables(parameters, site), [parameters, site]);
  return (
    <div className="cel-field">
      <span className="cel-field-label">{label}</span>
      <LazyCelEditor
        value={value}
        onChange={onChange}
        variables={variables}
        ariaLabel={label}
        minLines={2}
        maxLines={6}
        describedBy={`${id}-status`}
        {...(testId ? { testId } : {})}
      />
      {cel && !cel.ok ? (
        <p id={`${id}-status`} className="field-error">
          Line {cel.line}, column {cel.column}: {cel.message}
        </p>
      ) : (
        <p id={`${id}-status`} className="visually-hidden">
          {cel === null ? 'Empty' : 'Parses'}
        </p>
      )}
    </div>
  );
}

function FactorsSection({ draft, commit, byField }: SectionProps) {
  const shares = weightShares(draft);
  const keys = uniqueKeys(draft.factors, (f) => f.id ?? 'factor');
  return (
    <Section
      title="Factors"
      hint="Each candidate's score is Σ normalised factor × weight / Σ weights."
      field="factors"
      byField={byField}
      action={
        <Button size="sm" icon="plus" onClick={() => commit(addFactor(draft))}>
          Custom factor
        </Button>
      }
    >
      <div className="factor-list">
        {draft.factors.map((factor, index) => {
          const id = factor.id ?? `#${index}`;
          const share = shares[index] ?? 0;
          return (
            <div
              className="factor-row"
              key={keys[index]}
              data-field={`factors/${index}`}
              data-testid={`factor-${id}`}
            >
              <div className="factor-head">
                <span className="factor-swatch" style={{ background: factorColor(index) }} aria-hidden />
                <strong title={factor.id}>{factor.label ?? factor.id}</strong>
                <code className="muted small">{factor.type}</code>
                <Button
                  size="sm"
                  variant="ghost"
                  icon="close"
                  aria-label={`Remove factor ${id}`}
                  onClick={() => commit(removeFactor(draft, index))}
                />
              </div>
              <div className="factor-weight">
                <input
                  type="range"
                  min={0}
                  max={100}
                  step={1}
                  value={Math.min(100, factor.weight ?? 0)}
                  aria-label={`Weight of ${id}`}
                  onChange={(event) => commit(setFactorWeight(draft, index, Number(event.target.value)))}
                />
                <input
                  type="number"
                  className="input weight-number"
                  min={0}
                  max={1000}
                  value={factor.weight ?? 0}
                  aria-label={`Weight of ${id} (number)`}
                  onChange={(event) => commit(setFactorWeight(draft, index, Number(event.target.value)))}
                />
                <div className="share" title={`${(share * 100).toFixed(1)} % of the total weight`}>
                  <div
                    className="share-bar"
                    style={{ width: `${share * 100}%`, background: factorColor(index) }}
                  />
                  <span className="share-label" data-testid={`share-${id}`}>
                    {(share * 100).toFixed(1)} %
                  </span>
                </div>
              </div>
              <div className="factor-options">
                <select
                  className="input"
                  aria-label={`Direction of ${id}`}
                  value={factor.direction ?? 'higher-better'}
                  onChange={(event) =>
                    commit(
                      updateFactor(draft, index, {
                        direction: event.target.value as 'higher-better' | 'lower-better',
                      }),
                    )
                  }
                >
                  <option value="higher-better">Higher is better</option>
                  <option value="lower-better">Lower is better</option>
                </select>
                <select
                  className="input"
                  aria-label={`Normalisation of ${id}`}
                  value={factor.normalization ?? 'min-max'}
                  onChange={(event) =>
                    commit(
                      updateFactor(draft, index, {
                        normalization: event.target.value as 'min-max' | 'rank' | 'none',
                      }),
                    )
                  }
                >
                  <option value="min-max">Min–max</option>
                  <option value="rank">Rank</option>
                  <option value="none">None</option>
                </select>
                <select
                  className="input"
                  aria-label={`Type of ${id}`}
                  value={factor.type ?? 'custom'}
                  onChange={(event) =>
                    commit(
                      updateFactor(draft, index, {
                        type: event.target.value as (typeof factorTypes)[number],
                      }),
                    )
                  }
                >
                  {factorTypes.map((t) => (
                    <option key={t} value={t}>
                      {t}
                    </option>
                  ))}
                </select>
                {factor.weightParameter ? (
                  <span className="muted small" title="The parameter's effective value replaces the weight">
                    weight ← <code>{factor.weightParameter}</code>
                  </span>
                ) : null}
              </div>
              {factor.type === 'custom' ? (
                <CelField
                  label="Expression (CEL number)"
                  site="candidate"
                  parameters={draft.parameters}
                  value={factor.expression ?? ''}
                  onChange={(expression) => commit(updateFactor(draft, index, { expression }))}
                />
              ) : null}
              <Notes reports={byField.get(`factors/${index}`)} />
            </div>
          );
        })}
      </div>
    </Section>
  );
}

function ConstraintsSection({ draft, commit, byField }: SectionProps) {
  const constraints = draft.constraints ?? [];
  const keys = uniqueKeys(constraints, (c) => c.id ?? 'constraint');
  return (
    <Section
      title="Constraints"
      hint="A candidate any constraint rejects is never chosen."
      field="constraints"
      byField={byField}
      action={
        <Button size="sm" icon="plus" onClick={() => commit(addConstraint(draft))}>
          Custom constraint
        </Button>
      }
    >
      <ul className="plain-list">
        {constraints.map((constraint, index) => (
          <li key={keys[index]} className="item-card" data-field={`constraints/${index}`}>
            <div className="factor-head">
              <strong>{constraint.label ?? constraint.id}</strong>
              <code className="muted small">{constraint.type}</code>
              {constraint.parameter ? <span className="muted small">× {constraint.parameter}</span> : null}
              <Button
                size="sm"
                variant="ghost"
                icon="close"
                aria-label={`Remove constraint ${constraint.id}`}
                onClick={() => commit(removeConstraint(draft, index))}
              />
            </div>
            {constraint.type === 'custom' ? (
              <CelField
                label="Condition (CEL bool; false rejects)"
                site="candidate"
                parameters={draft.parameters}
                value={constraint.expression ?? ''}
                onChange={(expression) => commit(updateConstraint(draft, index, { expression }))}
                testId={`constraint-cel-${constraint.id}`}
              />
            ) : null}
            <Notes reports={byField.get(`constraints/${index}`)} />
          </li>
        ))}
      </ul>
    </Section>
  );
}

/** `2026-11-10T00:00:00+08:00` → the `datetime-local` value in UTC (`2026-11-09T16:00`). */
function toLocalInput(value: string | undefined): string {
  const ms = value ? Date.parse(value) : Number.NaN;
  return Number.isNaN(ms) ? '' : new Date(ms).toISOString().slice(0, 16);
}

function ParametersSection({ draft, commit, byField }: SectionProps) {
  const parameters = draft.parameters ?? [];
  const keys = uniqueKeys(parameters, (p) => p.name ?? 'parameter');
  return (
    <Section
      title="Parameters"
      hint="Values factors and constraints read; windows override them during promotions (times in UTC)."
      field="parameters"
      byField={byField}
      action={
        <Button size="sm" icon="plus" onClick={() => commit(addParameter(draft))}>
          Parameter
        </Button>
      }
    >
      <ul className="plain-list">
        {parameters.map((parameter, index) => (
          <li key={keys[index]} className="item-card" data-field={`parameters/${index}`}>
            <div className="factor-head">
              <strong>{parameter.name}</strong>
              <input
                type="number"
                className="input weight-number"
                step="any"
                value={parameter.value ?? 0}
                aria-label={`Value of ${parameter.name}`}
                onChange={(event) =>
                  commit(updateParameter(draft, index, { value: Number(event.target.value) }))
                }
              />
              <span className="muted small grow">{parameter.description}</span>
              <Button
                size="sm"
                variant="ghost"
                icon="close"
                aria-label={`Remove parameter ${parameter.name}`}
                onClick={() => commit(removeParameter(draft, index))}
              />
            </div>
            <div className="window-list">
              {(parameter.windows ?? []).map((w, wi, all) => (
                <div className="window-row" key={uniqueKeys(all, (x) => x.label ?? 'window')[wi]}>
                  <input
                    type="datetime-local"
                    className="input"
                    aria-label={`Window ${wi + 1} of ${parameter.name} from`}
                    value={toLocalInput(w.from)}
                    onChange={(event) =>
                      commit(updateParameterWindow(draft, index, wi, { from: `${event.target.value}:00Z` }))
                    }
                  />
                  <input
                    type="datetime-local"
                    className="input"
                    aria-label={`Window ${wi + 1} of ${parameter.name} to`}
                    value={toLocalInput(w.to)}
                    onChange={(event) =>
                      commit(updateParameterWindow(draft, index, wi, { to: `${event.target.value}:00Z` }))
                    }
                  />
                  <input
                    type="number"
                    step="any"
                    className="input weight-number"
                    aria-label={`Window ${wi + 1} of ${parameter.name} value`}
                    value={w.value ?? 0}
                    onChange={(event) =>
                      commit(updateParameterWindow(draft, index, wi, { value: Number(event.target.value) }))
                    }
                  />
                  <span className="muted small window-label">{w.label}</span>
                  <Button
                    size="sm"
                    variant="ghost"
                    icon="close"
                    aria-label={`Remove window ${wi + 1} of ${parameter.name}`}
                    onClick={() => commit(removeParameterWindow(draft, index, wi))}
                  />
                </div>
              ))}
            </div>
            <Button
              size="sm"
              variant="ghost"
              icon="plus"
              onClick={() => {
                const last = parameter.windows?.at(-1)?.to;
                commit(addParameterWindow(draft, index, last ?? new Date().toISOString().slice(0, 10)));
              }}
            >
              Promotion window
            </Button>
            <Notes reports={byField.get(`parameters/${index}`)} />
          </li>
        ))}
      </ul>
    </Section>
  );
}

function SegmentsSection({ draft, commit, byField }: SectionProps) {
  const segments = draft.segments ?? [];
  const keys = uniqueKeys(segments, (x) => x.id ?? 'segment');
  const factorIds = draft.factors.flatMap((f) => (f.id ? [f.id] : []));
  return (
    <Section
      title="Segments"
      hint="The first segment whose condition matches overrides factor weights for the order."
      field="segments"
      byField={byField}
      action={
        <Button size="sm" icon="plus" onClick={() => commit(addSegment(draft))}>
          Segment
        </Button>
      }
    >
      <ul className="plain-list">
        {segments.map((segment, index) => (
          <li key={keys[index]} className="item-card" data-field={`segments/${index}`}>
            <div className="factor-head">
              <strong>{segment.name ?? segment.id}</strong>
              <code className="muted small">{segment.id}</code>
              <Button
                size="sm"
                variant="ghost"
                icon="close"
                aria-label={`Remove segment ${segment.id}`}
                onClick={() => commit(removeSegment(draft, index))}
              />
            </div>
            <CelField
              label="When (CEL bool over order)"
              site="segment"
              parameters={draft.parameters}
              value={segment.when ?? ''}
              onChange={(when) => commit(updateSegment(draft, index, { when }))}
            />
            <div className="segment-weights">
              {factorIds.map((factorId) => {
                const value = segment.weights?.[factorId];
                return (
                  <label key={factorId} className="segment-weight">
                    <span>{factorId}</span>
                    <input
                      type="number"
                      className="input weight-number"
                      min={0}
                      max={1000}
                      placeholder="—"
                      value={value ?? ''}
                      aria-label={`Segment ${segment.id} weight of ${factorId}`}
                      onChange={(event) =>
                        commit(
                          setSegmentWeight(
                            draft,
                            index,
                            factorId,
                            event.target.value === '' ? null : Number(event.target.value),
                          ),
                        )
                      }
                    />
                  </label>
                );
              })}
            </div>
            <Notes reports={byField.get(`segments/${index}`)} />
          </li>
        ))}
      </ul>
    </Section>
  );
}

function TiersSection({ draft, commit, byField }: SectionProps) {
  const tiers = draft.fallbackTiers ?? [];
  const [dragging, setDragging] = useState<number | null>(null);
  const [over, setOver] = useState<number | null>(null);
  const missing = warehouseTiers.filter((t) => !tiers.includes(t));
  return (
    <Section
      title="Fallback tiers"
      hint="Tried in this order: a later tier is used only when no earlier one is feasible. Drag to reorder."
      field="fallbackTiers"
      byField={byField}
    >
      <ol className="tier-list" data-testid="tier-list">
        {tiers.map((tier, index) => (
          <li
            key={tier}
            className={`tier-item${dragging === index ? ' dragging' : ''}${over === index && dragging !== index ? ' drop-target' : ''}`}
            draggable
            data-testid={`tier-${tier}`}
            onDragStart={(event) => {
              event.dataTransfer.effectAllowed = 'move';
              event.dataTransfer.setData('text/plain', String(index));
              setDragging(index);
            }}
            onDragOver={(event) => {
              event.preventDefault();
              setOver(index);
            }}
            onDragLeave={() => setOver((o) => (o === index ? null : o))}
            onDrop={(event) => {
              event.preventDefault();
              const from = Number(event.dataTransfer.getData('text/plain'));
              if (Number.isInteger(from)) commit(moveTier(draft, from, index));
              setDragging(null);
              setOver(null);
            }}
            onDragEnd={() => {
              setDragging(null);
              setOver(null);
            }}
          >
            <span className="tier-grip" aria-hidden>
              ⋮⋮
            </span>
            <span className="tier-rank">{index + 1}</span>
            <strong>{tier}</strong>
            <span className="grow" />
            <Button
              size="sm"
              variant="ghost"
              aria-label={`Move ${tier} up`}
              disabled={index === 0}
              onClick={() => commit(moveTier(draft, index, index - 1))}
            >
              ↑
            </Button>
            <Button
              size="sm"
              variant="ghost"
              aria-label={`Move ${tier} down`}
              disabled={index === tiers.length - 1}
              onClick={() => commit(moveTier(draft, index, index + 1))}
            >
              ↓
            </Button>
          </li>
        ))}
      </ol>
      {missing.length ? (
        <p className="muted small">
          Never tried: {missing.join(', ')}.{' '}
          {missing.map((t) => (
            <Button
              key={t}
              size="sm"
              variant="ghost"
              onClick={() => commit({ ...draft, fallbackTiers: [...tiers, t] })}
            >
              Add {t}
            </Button>
          ))}
        </p>
      ) : null}
    </Section>
  );
}

function SplitSection({ draft, commit, byField }: SectionProps) {
  const split = draft.split ?? {};
  return (
    <Section
      title="Split policy"
      hint="Whether an order may ship in several parcels."
      field="split"
      byField={byField}
    >
      <div className="factor-options">
        <select
          className="input"
          aria-label="Split policy"
          value={split.policy ?? 'none'}
          onChange={(event) =>
            commit(setSplit(draft, { policy: event.target.value as 'none' | 'fewest-parcels' }))
          }
        >
          <option value="none">Never split</option>
          <option value="fewest-parcels">Fewest parcels</option>
        </select>
        <label className="segment-weight">
          <span>Max parcels</span>
          <input
            type="number"
            className="input weight-number"
            min={1}
            max={10}
            value={split.maxParcels ?? 1}
            onChange={(event) =>
              commit(setSplit(draft, { maxParcels: Math.round(Number(event.target.value)) }))
            }
          />
        </label>
      </div>
    </Section>
  );
}
