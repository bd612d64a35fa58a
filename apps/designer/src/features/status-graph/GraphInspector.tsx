import { checkCel, idSchema, type Report } from '@orderloom/schema';
import { useEffect, useId, useState } from 'react';
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
    <aside className="graph-inspector" aria-label="Inspector" data-testid="graph-inspector">
      {state ? (
        <StateForm key={state.id} state={state} {...props} />
      ) : transition ? (
        <TransitionForm key={transition.id} transition={transition} {...props} />
      ) : (
        <p className="inspector-empty muted">The selection no longer exists.</p>
      )}
    </aside>
  );
}

function ReportNotes({ reports }: { reports: readonly Report[] }) {
  if (reports.length === 0) return null;
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

function StateForm(props: GraphInspectorProps & { state: DraftState }) {
  const { state, draft, editable, onChange, onRenamed, reports } = props;
  const formId = useId();
  const [idText, setIdText] = useState(state.id);
  const [idError, setIdError] = useState<string | null>(null);
  useEffect(() => setIdText(state.id), [state.id]);
  const slas = (draft.slas ?? []).filter((sla) => sla.state === state.id);
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
      <ReportNotes reports={reports} />
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
      <h3>SLAs</h3>
      {slas.length === 0 ? (
        <p className="muted small">No SLA on this state.</p>
      ) : (
        <ul className="inspector-slas" data-testid="state-slas">
          {slas.map((sla, index) => (
            <li key={sla.id ?? index}>
              <div>
                <code>{sla.id}</code> · within {sla.withinMinutes} min
                {sla.channel ? ` · ${sla.channel}` : ' · all channels'}
              </div>
              {sla.levels?.length ? (
                <div className="muted small">
                  {sla.levels.map((level) => `${level.level} at ${level.atPercent} %`).join(' · ')}
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}

function TransitionForm(props: GraphInspectorProps & { transition: DraftTransition }) {
  const { transition, draft, editable, onChange, reports } = props;
  const formId = useId();
  const guard = transition.guard ?? '';
  const cel = guard.trim() === '' ? null : checkCel(guard);
  const set = (patch: Partial<DraftTransition>) => onChange(updateTransition(draft, transition.id, patch));

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
        <label htmlFor={`${formId}-guard`}>Guard (CEL)</label>
        <textarea
          id={`${formId}-guard`}
          className={`input mono${cel && !cel.ok ? ' invalid' : ''}`}
          rows={5}
          spellCheck={false}
          value={guard}
          aria-invalid={cel && !cel.ok ? true : undefined}
          aria-describedby={`${formId}-guard-status`}
          onChange={(event) => set({ guard: event.target.value })}
        />
        <p
          id={`${formId}-guard-status`}
          className={cel && !cel.ok ? 'field-error' : 'field-hint'}
          data-testid="guard-status"
        >
          {cel === null
            ? 'The guard is empty.'
            : cel.ok
              ? 'A CEL bool over facts, order and channel.'
              : `Line ${cel.line}, column ${cel.column}: ${cel.message}`}
        </p>
      </fieldset>
    </form>
  );
}
