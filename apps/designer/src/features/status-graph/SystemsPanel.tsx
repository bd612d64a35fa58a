import type { Report } from '@orderloom/schema';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { Button } from '../../components/Button.tsx';
import { Icon } from '../../components/Icon.tsx';
import { useCanvasStore } from '../../store/canvasStore.ts';
import { ChannelsField } from './ChannelsField.tsx';
import { DictionaryImportDialog } from './DictionaryImportDialog.tsx';
import type { GraphDraft } from './statusGraphModel.ts';
import {
  addStatusCode,
  type ConflictTarget,
  conflictKindText,
  conflictTargets,
  type DictionaryImportResult,
  groupConflicts,
  removeStatusCode,
  type StatusRow,
  type SystemRow,
  systemRows,
} from './systemsModel.ts';
import { useSystemsPanelStore } from './systemsPanelStore.ts';

export interface SystemsPanelProps {
  bufferKey: string;
  draft: GraphDraft;
  /** Every lint report of the draft; code rows show those whose nodeId is `<system>:<code>`. */
  reports: readonly Report[];
  editable: boolean;
  onChange: (draft: GraphDraft) => void;
}

/**
 * The systems of a status graph: each system's status dictionary (code, label, the facts it sets, the
 * state it implies), codes added and removed in place, and the dictionary import with its semantic
 * conflict report, whose links select the code row, state or transition a conflict concerns.
 */
export function SystemsPanel({ bufferKey, draft, reports, editable, onChange }: SystemsPanelProps) {
  const systems = useMemo(() => systemRows(draft), [draft]);
  const lastImport = useSystemsPanelStore((s) => s.imports[bufferKey]);
  const focused = useSystemsPanelStore((s) => s.focusedCodes[bufferKey] ?? null);
  const focusRequest = useSystemsPanelStore((s) => s.focusRequests[bufferKey] ?? 0);
  const [importing, setImporting] = useState<{ system?: string } | null>(null);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const listRef = useRef<HTMLDivElement>(null);
  const codeCount = systems.reduce((n, s) => n + s.statuses.length, 0);

  const reportsByCode = useMemo(() => {
    const map = new Map<string, Report[]>();
    for (const report of reports) {
      if (report.nodeId?.includes(':')) map.set(report.nodeId, [...(map.get(report.nodeId) ?? []), report]);
    }
    return map;
  }, [reports]);

  // A conflict link pointed at a code: open its system and bring the row into view.
  useEffect(() => {
    if (!focusRequest || !focused) return;
    const system = focused.slice(0, focused.indexOf(':'));
    setCollapsed((current) => {
      if (!current.has(system)) return current;
      const next = new Set(current);
      next.delete(system);
      return next;
    });
    requestAnimationFrame(() => {
      const row = listRef.current?.querySelector<HTMLElement>(`[data-node-id="${CSS.escape(focused)}"]`);
      if (!row) return;
      // Scroll the panel only: scrollIntoView would also scroll the page around the canvas.
      const scroller = row.closest<HTMLElement>('.side-body');
      if (scroller) {
        const at = row.getBoundingClientRect();
        const view = scroller.getBoundingClientRect();
        scroller.scrollBy({ top: at.top - view.top - (view.height - at.height) / 2, behavior: 'smooth' });
      }
      row.focus({ preventScroll: true });
    });
  }, [focusRequest, focused]);

  const toggle = (id: string) =>
    setCollapsed((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <div className="systems-panel" data-testid="systems-panel">
      <div className="systems-head">
        <div>
          <h2>Systems</h2>
          <p className="muted small">
            {systems.length} system{systems.length === 1 ? '' : 's'} · {codeCount} code
            {codeCount === 1 ? '' : 's'}
          </p>
        </div>
        <Button
          size="sm"
          icon="upload"
          onClick={() => setImporting({})}
          disabledReason={editable ? null : 'This key cannot edit drafts.'}
        >
          Import dictionary
        </Button>
      </div>

      <ChannelsField draft={draft} editable={editable} onChange={onChange} />

      {lastImport ? (
        <ConflictReport
          bufferKey={bufferKey}
          draft={draft}
          result={lastImport}
          onDismiss={() => useSystemsPanelStore.getState().setImport(bufferKey, undefined)}
        />
      ) : null}

      <div className="systems-list" ref={listRef}>
        {systems.length === 0 ? (
          <p className="muted small">
            No system yet. Import a system's status dictionary to map its codes onto the canonical states.
          </p>
        ) : null}
        {systems.map((system) => (
          <SystemSection
            key={system.id}
            system={system}
            draft={draft}
            bufferKey={bufferKey}
            expanded={!collapsed.has(system.id)}
            onToggle={() => toggle(system.id)}
            focused={focused}
            reportsByCode={reportsByCode}
            editable={editable}
            onChange={onChange}
            onImport={() => setImporting({ system: system.id })}
          />
        ))}
      </div>

      {importing ? (
        <DictionaryImportDialog
          bufferKey={bufferKey}
          systems={systems.map((s) => s.id)}
          {...(importing.system ? { initialSystem: importing.system } : {})}
          onClose={() => setImporting(null)}
          onImported={(result) => {
            setImporting(null);
            useSystemsPanelStore.getState().setImport(bufferKey, result);
          }}
        />
      ) : null}
    </div>
  );
}

/** Selects what a conflict link concerns: a code row here, or a state/transition on the canvas. */
function selectTarget(bufferKey: string, target: ConflictTarget) {
  if (target.type === 'code') {
    useSystemsPanelStore.getState().focusCode(bufferKey, target.nodeId);
    return;
  }
  useSystemsPanelStore.getState().showTab(bufferKey, 'inspector');
  useCanvasStore.getState().reveal(bufferKey, { type: target.type, id: target.id });
}

function ConflictReport({
  bufferKey,
  draft,
  result,
  onDismiss,
}: {
  bufferKey: string;
  draft: GraphDraft;
  result: DictionaryImportResult;
  onDismiss: () => void;
}) {
  const groups = groupConflicts(result.conflicts);
  const headingId = useId();
  return (
    <section className="conflict-report" aria-labelledby={headingId} data-testid="conflict-report">
      <header className="conflict-report-head">
        <div>
          <h3 id={headingId}>Import of {result.system}</h3>
          <p className="muted small">
            Revision {result.draftRevision} · {result.added.length} added · {result.updated.length} updated ·{' '}
            {result.conflicts.length === 0
              ? 'no conflict'
              : `${result.conflicts.length} conflict${result.conflicts.length === 1 ? '' : 's'}`}
          </p>
        </div>
        <button
          type="button"
          className="icon-button"
          aria-label="Dismiss the import report"
          onClick={onDismiss}
        >
          <Icon name="close" size={14} />
        </button>
      </header>
      {groups.map(({ kind, conflicts }) => (
        <div className="conflict-group" key={kind} data-testid={`conflicts-${kind}`}>
          <h4>
            {conflictKindText[kind].title} <span className="count-pill">{conflicts.length}</span>
          </h4>
          <p className="muted small">{conflictKindText[kind].hint}</p>
          <ul>
            {conflicts.map((conflict) => {
              const targets = conflictTargets(conflict, draft);
              const [primary] = targets;
              return (
                <li
                  key={`${conflict.path}|${conflict.message}`}
                  className={`conflict conflict-${conflict.severity}`}
                >
                  <button
                    type="button"
                    className="conflict-message"
                    disabled={!primary}
                    onClick={() => primary && selectTarget(bufferKey, primary)}
                    title={primary ? `Select ${primary.label}` : undefined}
                  >
                    <Icon name={conflict.severity === 'error' ? 'error' : 'alert'} size={13} />
                    <span>{conflict.message}</span>
                  </button>
                  {targets.length > 1 ? (
                    <div className="conflict-targets">
                      {targets.map((target) => (
                        <button
                          type="button"
                          key={
                            target.type === 'code' ? `code:${target.nodeId}` : `${target.type}:${target.id}`
                          }
                          className={`conflict-target target-${target.type}`}
                          onClick={() => selectTarget(bufferKey, target)}
                        >
                          {target.label}
                        </button>
                      ))}
                    </div>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </section>
  );
}

interface SystemSectionProps {
  system: SystemRow;
  draft: GraphDraft;
  bufferKey: string;
  expanded: boolean;
  onToggle: () => void;
  focused: string | null;
  reportsByCode: Map<string, Report[]>;
  editable: boolean;
  onChange: (draft: GraphDraft) => void;
  onImport: () => void;
}

function SystemSection(props: SystemSectionProps) {
  const { system, draft, bufferKey, expanded, focused, reportsByCode, editable, onChange } = props;
  const bodyId = useId();
  return (
    <section
      className="system-section"
      data-testid={`system-${system.id}`}
      aria-label={`System ${system.id}`}
    >
      <div className="system-head">
        <button
          type="button"
          className="system-toggle"
          aria-expanded={expanded}
          aria-controls={bodyId}
          onClick={props.onToggle}
        >
          <Icon name="chevronRight" size={12} className={expanded ? 'rotated' : undefined} />
          <code>{system.id}</code>
          <span className="system-name">{system.name && system.name !== system.id ? system.name : ''}</span>
          <span className="count-pill">{system.statuses.length}</span>
        </button>
        {editable ? (
          <button
            type="button"
            className="icon-button"
            aria-label={`Import a dictionary into ${system.id}`}
            title={`Import a dictionary into ${system.id}`}
            onClick={props.onImport}
          >
            <Icon name="upload" size={14} />
          </button>
        ) : null}
      </div>
      {expanded ? (
        <div id={bodyId}>
          <ul className="code-list">
            {system.statuses.map((status) => (
              <CodeRow
                key={status.nodeId}
                status={status}
                systemId={system.id}
                draft={draft}
                bufferKey={bufferKey}
                focused={focused === status.nodeId}
                reports={reportsByCode.get(status.nodeId)}
                editable={editable}
                onChange={onChange}
              />
            ))}
          </ul>
          {editable ? <AddCodeForm system={system} draft={draft} onChange={onChange} /> : null}
        </div>
      ) : null}
    </section>
  );
}

function CodeRow({
  status,
  systemId,
  draft,
  bufferKey,
  focused,
  reports,
  editable,
  onChange,
}: {
  status: StatusRow;
  systemId: string;
  draft: GraphDraft;
  bufferKey: string;
  focused: boolean;
  reports: Report[] | undefined;
  editable: boolean;
  onChange: (draft: GraphDraft) => void;
}) {
  const impliedState = status.implies ? draft.states.find((s) => s.id === status.implies) : undefined;
  const worst = reports?.some((r) => r.severity === 'error') ? 'error' : reports?.length ? 'warning' : null;
  return (
    <li
      className={`code-row${focused ? ' focused' : ''}`}
      data-node-id={status.nodeId}
      data-testid={`code-row-${status.nodeId}`}
      tabIndex={-1}
      aria-current={focused || undefined}
    >
      <div className="code-main">
        <code className="code-code" title={status.meaning || undefined}>
          {status.code}
        </code>
        <span className="code-label" lang="zh" title={status.meaning || undefined}>
          {status.label}
        </span>
        {worst ? (
          <span
            className={`code-marker marker-${worst}`}
            title={reports?.map((r) => r.message).join('\n')}
            role="img"
            aria-label={`${reports?.length} problem${reports?.length === 1 ? '' : 's'}: ${reports?.map((r) => r.message).join('; ')}`}
          >
            <Icon name={worst === 'error' ? 'error' : 'alert'} size={12} />
          </span>
        ) : null}
        {editable ? (
          <button
            type="button"
            className="icon-button code-remove"
            aria-label={`Remove ${systemId} ${status.code}`}
            title="Remove this code"
            onClick={() => onChange(removeStatusCode(draft, systemId, status.code))}
          >
            <Icon name="close" size={12} />
          </button>
        ) : null}
      </div>
      <div className="code-meaning small">
        {status.sets.length > 0 ? (
          <span className="code-sets" title="Facts this code sets">
            sets{' '}
            {status.sets.map((path) => (
              <code key={path}>{path}</code>
            ))}
          </span>
        ) : null}
        {status.implies ? (
          impliedState ? (
            <button
              type="button"
              className="code-implies link"
              title={`Select state ${status.implies}`}
              onClick={() => {
                useSystemsPanelStore.getState().showTab(bufferKey, 'inspector');
                useCanvasStore.getState().reveal(bufferKey, { type: 'state', id: status.implies as string });
              }}
            >
              → {impliedState.labels?.en || status.implies}
            </button>
          ) : (
            <span className="code-implies unknown" title="Not a state of this graph">
              → {status.implies}?
            </span>
          )
        ) : null}
        {status.sets.length === 0 && !status.implies ? <span className="muted">maps to nothing</span> : null}
      </div>
    </li>
  );
}

function AddCodeForm({
  system,
  draft,
  onChange,
}: {
  system: SystemRow;
  draft: GraphDraft;
  onChange: (draft: GraphDraft) => void;
}) {
  const formId = useId();
  const [code, setCode] = useState('');
  const [label, setLabel] = useState('');
  const [implies, setImplies] = useState('');
  const [error, setError] = useState<string | null>(null);
  const add = () => {
    const result = addStatusCode(draft, system.id, { code, label, implies });
    if (!result.ok) {
      setError(result.message);
      return;
    }
    onChange(result.draft);
    setCode('');
    setLabel('');
    setImplies('');
    setError(null);
  };
  return (
    <fieldset className="add-code">
      <legend className="visually-hidden">Add a code to {system.id}</legend>
      <div className="add-code-row">
        <input
          className="input mono"
          aria-label={`New ${system.id} code`}
          placeholder="CODE"
          value={code}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${formId}-error` : undefined}
          onChange={(event) => {
            setCode(event.target.value);
            setError(null);
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              add();
            }
          }}
        />
        <input
          className="input"
          aria-label={`New ${system.id} code label`}
          placeholder="label"
          value={label}
          onChange={(event) => setLabel(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              add();
            }
          }}
        />
      </div>
      <div className="add-code-row">
        <select
          className="input"
          aria-label={`State the new ${system.id} code implies`}
          value={implies}
          onChange={(event) => setImplies(event.target.value)}
        >
          <option value="">implies no state</option>
          {draft.states.map((s) => (
            <option key={s.id} value={s.id}>
              → {s.labels?.en || s.id}
            </option>
          ))}
        </select>
        <Button size="sm" icon="plus" onClick={add}>
          Add code
        </Button>
      </div>
      {error ? (
        <p className="field-error" id={`${formId}-error`}>
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
