import { checkCel, idSchema, type Report } from '@orderloom/schema';
import { useEffect, useId, useMemo, useState } from 'react';
import { Button } from '../../components/Button.tsx';
import { LazyCelEditor } from '../../components/LazyMonaco.tsx';
import { statusGraphGuardVariables } from '../../monaco/celVariables.ts';
import {
  addSla,
  addSlaLevel,
  type DraftSla,
  formatSlaMinutes,
  parseNotify,
  removeSla,
  removeSlaLevel,
  type SlaLevelName,
  slaFieldReports,
  slaLevelNames,
  slasOfState,
  updateSla,
  updateSlaLevel,
} from './slaModel.ts';
import {
  type DraftState,
  type DraftTransition,
  type GraphDraft,
  type GraphSelection,
  updateState,
  updateTransition,
} from './statusGraphModel.ts';

export interface GraphInspectorProps {
  draft: GraphDraft;
  selection: GraphSelection;
  /** Reports about the selected element (already mapped to it). */
  reports: readonly Report[];
  editable: boolean;
  onChange: (draft: GraphDraft) => void;
  /** Called after a state's id changed, so the selection follows it. */
  onRenamed: (selection: GraphSelection) => void;
}

/** The side panel, shown while something is selected: metadata of the selected state, or ends and guard of the selected transition. */
export function GraphInspector(props: GraphInspectorProps) {
  const { draft, selection } = props;
  const state = selection.type === 'state' ? draft.states.find((s) => s.id === selection.id) : undefined;
  const transition =
    selection.type === 'transition' ? draft.transitions?.find((t) => t.id === selection.id) : undefined;

  return (
    <section className="graph-inspector" aria-label="Inspector" data-testid="graph-inspector">
      {state ? (
        <StateForm key={state.id} state={state} {...props} />
      ) : transition ? (
        <TransitionForm key={transition.id} transition={transition} {...props} />
      ) : (
        <p className="inspector-empty muted">The selection no longer exists.</p>
      )}
    </section>
  );
}

function ReportNotes({ reports }: { reports: readonly Report[] | undefined }) {
  if (!reports?.length) return null;
  return (
    <ul className="inspector-reports">
      {reports.map((r) => (
        <li key={`${r.path}|${r.message}`} className={`inspector-report report-${r.severity}`}>
          {r.message}
        </li>
      ))}
    </ul>
  );
}

const isSlaReport = (report: Report) => report.path.startsWith('/slas/');

function StateForm(props: GraphInspectorProps & { state: DraftState }) {
  const { state, draft, editable, onChange, onRenamed, reports } = props;
  const formId = useId();
  const [idText, setIdText] = useState(state.id);
  const [idError, setIdError] = useState<string | null>(null);
  useEffect(() => setIdText(state.id), [state.id]);
  const set = (patch: Partial<DraftState>) => onChange(updateState(draft, state.id, patch));

  const commitId = () => {
    const next = idText.trim();
    if (next === state.id) {
      setIdError(null);
      return;
    }
    const parsed = idSchema.safeParse(next);
    if (!parsed.success) {
      setIdError(parsed.error.issues[0]?.message ?? 'not a valid id');
      return;
    }
    if (draft.states.some((s) => s.id === next)) {
      setIdError(`a state "${next}" already exists`);
      return;
    }
    setIdError(null);
    onChange(updateState(draft, state.id, { id: next }));
    onRenamed({ type: 'state', id: next });
  };

  const setLabel = (language: 'en' | 'zh', value: string) => {
    const labels: Record<string, string> = { ...(state.labels ?? { en: '' }) };
    if (value === '' && language === 'zh') delete labels.zh;
    else labels[language] = value;
    set({ labels: { en: labels.en ?? '', ...labels } });
  };

  return (
    <form className="inspector-form" onSubmit={(event) => event.preventDefault()}>
      <h2>State</h2>
      <ReportNotes reports={reports.filter((r) => !isSlaReport(r))} />
      <fieldset disabled={!editable}>
        <label htmlFor={`${formId}-id`}>Id</label>
        <input
          id={`${formId}-id`}
          className={`input mono${idError ? ' invalid' : ''}`}
          value={idText}
          aria-invalid={idError ? true : undefined}
          aria-describedby={idError ? `${formId}-id-error` : undefined}
          onChange={(event) => setIdText(event.target.value)}
          onBlur={commitId}
          onKeyDown={(event) => {
            if (event.key === 'Enter') commitId();
          }}
        />
        {idError ? (
          <p id={`${formId}-id-error`} className="field-error">
            {idError}
          </p>
        ) : (
          <p className="field-hint">Renaming updates transitions, SLAs and dictionary mappings.</p>
        )}
        <label htmlFor={`${formId}-en`}>Label (English)</label>
        <input
          id={`${formId}-en`}
          className="input"
          value={state.labels?.en ?? ''}
          onChange={(event) => setLabel('en', event.target.value)}
        />
        <label htmlFor={`${formId}-zh`}>Label (中文)</label>
        <input
          id={`${formId}-zh`}
          className="input"
          lang="zh"
          value={state.labels?.zh ?? ''}
          onChange={(event) => setLabel('zh', event.target.value)}
        />
        <label htmlFor={`${formId}-definition`}>Definition</label>
        <textarea
          id={`${formId}-definition`}
          className="input"
          rows={4}
          value={state.definition ?? ''}
          onChange={(event) => set({ definition: event.target.value })}
        />
        <label htmlFor={`${formId}-steward`}>Steward</label>
        <input
          id={`${formId}-steward`}
          className="input"
          value={state.steward ?? ''}
          placeholder="owning department or system"
          onChange={(event) => set({ steward: event.target.value })}
        />
        <div className="inspector-flags">
          <label>
            <input
              type="checkbox"
              checked={state.initial ?? false}
              onChange={(event) => set({ initial: event.target.checked })}
            />{' '}
            Initial
          </label>
          <label>
            <input
              type="checkbox"
              checked={state.terminal ?? false}
              onChange={(event) => set({ terminal: event.target.checked })}
            />{' '}
            Terminal
          </label>
        </div>
      </fieldset>
      <SlaEditor {...props} />
    </form>
  );
}

/** Channels worth offering for an SLA: the graph's own and those other SLAs already name. */
function knownChannels(draft: GraphDraft): string[] {
  const channels = new Set<string>(Array.isArray(draft.channels) ? draft.channels : []);
  for (const sla of draft.slas ?? [])
    if (typeof sla.channel === 'string' && sla.channel) channels.add(sla.channel);
  return [...channels].sort();
}

function SlaEditor(props: GraphInspectorProps & { state: DraftState }) {
  const { state, draft, editable, onChange, reports } = props;
  const slas = slasOfState(draft, state.id);
  const channelsId = useId();
  const channels = knownChannels(draft);
  return (
    <section className="sla-editor" aria-label="SLAs" data-testid="state-slas">
      <div className="inspector-section-head">
        <h3>SLAs</h3>
        <Button
          size="sm"
          variant="ghost"
          icon="plus"
          onClick={() => onChange(addSla(draft, state.id).draft)}
          disabledReason={editable ? null : 'This key cannot edit drafts.'}
        >
          Add SLA
        </Button>
      </div>
      {slas.length === 0 ? (
        <p className="muted small">
          No SLA on this state. An SLA says how long an order may stay here, per channel, and who hears about
          it as the deadline nears and passes.
        </p>
      ) : (
        slas.map(({ sla, index }) => (
          <SlaCard
            key={index}
            sla={sla}
            index={index}
            draft={draft}
            editable={editable}
            onChange={onChange}
            reports={slaFieldReports(reports, index)}
            channelsId={channelsId}
          />
        ))
      )}
      <datalist id={channelsId}>
        {channels.map((channel) => (
          <option key={channel} value={channel} />
        ))}
      </datalist>
    </section>
  );
}

function FieldReports({ reports, id }: { reports: readonly Report[] | undefined; id?: string }) {
  if (!reports?.length) return null;
  return (
    <ul className="field-reports" id={id}>
      {reports.map((r) => (
        <li
          key={`${r.path}|${r.message}`}
          className={r.severity === 'error' ? 'field-error' : 'field-warning'}
        >
          {r.message}
        </li>
      ))}
    </ul>
  );
}

interface SlaCardProps {
  sla: DraftSla;
  index: number;
  draft: GraphDraft;
  editable: boolean;
  onChange: (draft: GraphDraft) => void;
  reports: Map<string, Report[]>;
  channelsId: string;
}

function SlaCard({ sla, index, draft, editable, onChange, reports, channelsId }: SlaCardProps) {
  const formId = useId();
  const name = sla.id || `#${index + 1}`;
  const within = sla.withinMinutes;
  const invalid = (key: string) => (reports.get(key)?.length ? true : undefined);
  const describedBy = (key: string) => (reports.get(key)?.length ? `${formId}-${key}-reports` : undefined);
  const levels = sla.levels ?? [];
  return (
    <fieldset className="sla-card" disabled={!editable} data-testid={`sla-${name}`}>
      <legend className="visually-hidden">SLA {name}</legend>
      <div className="sla-card-head">
        <input
          className="input mono sla-id"
          aria-label="SLA"
          title="The SLA's id, named in its alerts"
          value={sla.id ?? ''}
          aria-invalid={invalid('id')}
          aria-describedby={describedBy('id')}
          onChange={(event) => onChange(updateSla(draft, index, { id: event.target.value }))}
        />
        <Button
          size="sm"
          variant="ghost"
          icon="close"
          aria-label={`Remove SLA ${name}`}
          title="Remove this SLA"
          onClick={() => onChange(removeSla(draft, index))}
        />
      </div>
      <FieldReports reports={reports.get('id')} id={`${formId}-id-reports`} />
      <FieldReports reports={[...(reports.get('') ?? []), ...(reports.get('state') ?? [])]} />
      <div className="sla-grid">
        <label htmlFor={`${formId}-channel`}>Channel</label>
        <label htmlFor={`${formId}-within`}>Leave within (min)</label>
        <input
          id={`${formId}-channel`}
          className="input"
          list={channelsId}
          placeholder="all channels"
          value={sla.channel ?? ''}
          aria-invalid={invalid('channel')}
          aria-describedby={describedBy('channel')}
          onChange={(event) =>
            onChange(
              updateSla(draft, index, {
                channel: event.target.value.trim() === '' ? undefined : event.target.value,
              }),
            )
          }
        />
        <input
          id={`${formId}-within`}
          className="input"
          type="number"
          min={1}
          step="any"
          value={within ?? ''}
          aria-invalid={invalid('withinMinutes')}
          aria-describedby={describedBy('withinMinutes')}
          onChange={(event) =>
            onChange(
              updateSla(draft, index, {
                withinMinutes: event.target.value === '' ? undefined : Number(event.target.value),
              }),
            )
          }
        />
      </div>
      <FieldReports reports={reports.get('channel')} id={`${formId}-channel-reports`} />
      <FieldReports reports={reports.get('withinMinutes')} id={`${formId}-withinMinutes-reports`} />
      <p className="field-hint">
        {sla.channel ? `Orders of channel ${sla.channel}` : 'Orders of every channel'}
        {typeof within === 'number' && within > 0 ? ` leave within ${formatSlaMinutes(within)}.` : '.'}
      </p>

      <fieldset className="sla-levels">
        <legend className="visually-hidden">Escalation levels of {name}</legend>
        <div className="sla-levels-head">
          <span className="sla-levels-title">Escalation levels</span>
          <Button size="sm" variant="ghost" icon="plus" onClick={() => onChange(addSlaLevel(draft, index))}>
            Level
          </Button>
        </div>
        <FieldReports reports={reports.get('levels')} />
        {levels.length === 0 ? <p className="muted small">No level: nobody is alerted.</p> : null}
        {levels.map((level, li) => {
          const key = `levels/${li}`;
          const label = `Level ${li + 1} of ${name}`;
          const at = level.atPercent;
          const due = typeof within === 'number' && typeof at === 'number' ? (within * at) / 100 : undefined;
          const levelReports = [
            ...(reports.get(key) ?? []),
            ...(reports.get(`${key}/atPercent`) ?? []),
            ...(reports.get(`${key}/level`) ?? []),
            ...(reports.get(`${key}/notify`) ?? []),
          ];
          return (
            // Levels have no id; their position is their identity in the JSON too.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <div className="sla-level" key={li} data-testid={`sla-level-${li}`}>
              <div className="sla-level-row">
                <input
                  className="input sla-percent"
                  type="number"
                  min={1}
                  max={10000}
                  step="any"
                  aria-label={`${label}: percent of the deadline`}
                  aria-invalid={reports.get(`${key}/atPercent`)?.length ? true : undefined}
                  value={at ?? ''}
                  onChange={(event) =>
                    onChange(
                      updateSlaLevel(draft, index, li, {
                        atPercent: event.target.value === '' ? undefined : Number(event.target.value),
                      }),
                    )
                  }
                />
                <span className="muted small" title="percent of the deadline">
                  %
                </span>
                <span className="sla-due" title="When this level fires after the order entered the state">
                  {due === undefined ? '' : `at +${formatSlaMinutes(due)}`}
                </span>
                <Button
                  size="sm"
                  variant="ghost"
                  icon="close"
                  aria-label={`Remove ${label.toLowerCase()}`}
                  onClick={() => onChange(removeSlaLevel(draft, index, li))}
                />
              </div>
              <div className="sla-level-row">
                <select
                  className={`input sla-level-name level-${level.level ?? 'none'}`}
                  aria-label={`${label}: level`}
                  value={level.level ?? ''}
                  onChange={(event) =>
                    onChange(updateSlaLevel(draft, index, li, { level: event.target.value as SlaLevelName }))
                  }
                >
                  {level.level === undefined ? <option value="">—</option> : null}
                  {slaLevelNames.map((n) => (
                    <option key={n} value={n}>
                      {n}
                    </option>
                  ))}
                </select>
                <NotifyInput
                  label={`${label}: notify`}
                  value={level.notify ?? []}
                  onChange={(notify) => onChange(updateSlaLevel(draft, index, li, { notify }))}
                />
              </div>
              <FieldReports reports={levelReports} />
            </div>
          );
        })}
      </fieldset>
    </fieldset>
  );
}

/**
 * Who a level notifies, typed as a comma-separated list. Keeps its own text so a trailing comma being
 * typed is not normalised away; follows the buffer when it changes elsewhere.
 */
function NotifyInput({
  label,
  value,
  onChange,
}: {
  label: string;
  value: readonly string[];
  onChange: (notify: string[]) => void;
}) {
  const joined = value.join(', ');
  const [text, setText] = useState(joined);
  useEffect(() => {
    setText((current) => (parseNotify(current).join(', ') === joined ? current : joined));
  }, [joined]);
  return (
    <input
      className="input sla-notify"
      aria-label={label}
      placeholder="notify: ops, on-call…"
      value={text}
      onChange={(event) => {
        setText(event.target.value);
        onChange(parseNotify(event.target.value));
      }}
    />
  );
}

function TransitionForm(props: GraphInspectorProps & { transition: DraftTransition }) {
  const { transition, draft, editable, onChange, reports } = props;
  const formId = useId();
  const guard = transition.guard ?? '';
  const cel = guard.trim() === '' ? null : checkCel(guard);
  const set = (patch: Partial<DraftTransition>) => onChange(updateTransition(draft, transition.id, patch));
  const variables = useMemo(() => statusGraphGuardVariables(draft.systems), [draft.systems]);

  return (
    <form className="inspector-form" onSubmit={(event) => event.preventDefault()}>
      <h2>Transition</h2>
      <ReportNotes reports={reports} />
      <dl className="inspector-ends">
        <dt>Id</dt>
        <dd>
          <code>{transition.id}</code>
        </dd>
        <dt>From</dt>
        <dd>
          <code>{transition.from}</code>
        </dd>
        <dt>To</dt>
        <dd>
          <code>{transition.to}</code>
        </dd>
      </dl>
      <fieldset disabled={!editable}>
        <label htmlFor={`${formId}-label`}>Label</label>
        <input
          id={`${formId}-label`}
          className="input"
          value={transition.label ?? ''}
          placeholder={transition.id}
          onChange={(event) => set({ label: event.target.value === '' ? undefined : event.target.value })}
        />
        <span className="field-label" id={`${formId}-guard-label`}>
          Guard (CEL)
        </span>
        <LazyCelEditor
          value={guard}
          onChange={(next) => set({ guard: next })}
          variables={variables}
          ariaLabel="Guard (CEL)"
          readOnly={!editable}
          minLines={3}
          maxLines={10}
          placeholder="has(facts.wms.outboundNo) && …"
          testId="guard-editor"
          describedBy={`${formId}-guard-status`}
        />
        <p
          id={`${formId}-guard-status`}
          className={cel && !cel.ok ? 'field-error' : 'field-hint'}
          data-testid="guard-status"
        >
          {cel === null
            ? 'The guard is empty.'
            : cel.ok
              ? 'A CEL bool over facts, order and channel. Ctrl+Space lists the facts; Tab leaves the editor.'
              : `Line ${cel.line}, column ${cel.column}: ${cel.message}`}
        </p>
      </fieldset>
    </form>
  );
}
