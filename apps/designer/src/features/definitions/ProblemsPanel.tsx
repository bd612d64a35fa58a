import { useState } from 'react';
import { Icon } from '../../components/Icon.tsx';
import type { PlacedReport } from '../../lib/lintDraft.ts';
import { uniqueKeys } from '../../lib/uniqueKeys.ts';

export interface ProblemsPanelProps {
  reports: PlacedReport[];
  checking: boolean;
  onSelect: (report: PlacedReport) => void;
}

/** Every report of the draft; clicking one selects it in the editor. */
export function ProblemsPanel({ reports, checking, onSelect }: ProblemsPanelProps) {
  const [collapsed, setCollapsed] = useState(false);
  const errors = reports.filter((r) => r.severity === 'error').length;
  const warnings = reports.length - errors;
  const keys = uniqueKeys(reports, (r) => `${r.path}|${r.range.start}|${r.message}`);

  return (
    <section
      className={`problems${collapsed ? ' collapsed' : ''}`}
      aria-label="Problems"
      data-testid="problems"
    >
      <header className="problems-header">
        <button
          type="button"
          className="problems-toggle"
          aria-expanded={!collapsed}
          onClick={() => setCollapsed((c) => !c)}
        >
          <Icon name="chevronRight" size={14} />
          Problems
        </button>
        <span className={`count-pill${errors ? ' has-errors' : ''}`} data-testid="problem-errors">
          <Icon name="error" size={13} /> {errors}
        </span>
        <span className={`count-pill${warnings ? ' has-warnings' : ''}`} data-testid="problem-warnings">
          <Icon name="alert" size={13} /> {warnings}
        </span>
        {checking ? <span className="muted small">checking…</span> : null}
      </header>
      {collapsed ? null : reports.length === 0 ? (
        <div className="problems-empty">
          <Icon name="check" /> No problems. This draft can become a version.
        </div>
      ) : (
        <ul className="problems-list">
          {reports.map((report, index) => (
            <li key={keys[index]}>
              <button
                type="button"
                className={`problem problem-${report.severity}`}
                onClick={() => onSelect(report)}
                title="Show in editor"
              >
                <Icon
                  name={report.severity === 'error' ? 'error' : 'alert'}
                  size={15}
                  className={report.severity === 'error' ? 'tone-danger' : 'tone-warning'}
                />
                <span className="problem-message">{report.message}</span>
                <code className="problem-path">
                  {report.source === 'syntax' ? 'JSON' : report.path || '/'}
                </code>
                {report.nodeId ? <span className="problem-node">{report.nodeId}</span> : null}
                <span className="problem-pos">
                  Ln {report.editorLine}, Col {report.editorColumn}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
