import type { Report } from '@orderloom/schema';
import { memo, useEffect, useRef } from 'react';
import { Button } from '../../components/Button.tsx';
import { Icon } from '../../components/Icon.tsx';
import { GraphInspector } from './GraphInspector.tsx';
import { SystemsPanel } from './SystemsPanel.tsx';
import type { GraphDraft, GraphSelection } from './statusGraphModel.ts';
import { type SidePanelTab, useSystemsPanelStore } from './systemsPanelStore.ts';

export interface GraphSidePanelProps {
  bufferKey: string;
  draft: GraphDraft;
  selection: GraphSelection | null;
  /** Reports about the selected element (already mapped to it). */
  selectionReports: readonly Report[];
  /** Every report of the draft (the systems tab marks code rows with theirs). */
  reports: readonly Report[];
  editable: boolean;
  onChange: (draft: GraphDraft) => void;
  /** Called after a state's id changed, so the selection follows it. */
  onRenamed: (selection: GraphSelection) => void;
}

const tabLabels: Record<SidePanelTab, string> = { inspector: 'Inspector', systems: 'Systems' };

/**
 * The right-hand panel of the status-graph canvas: the inspector of the selection, or the systems tab
 * (dictionaries, import, conflict report). Hidden while nothing is selected and the systems tab is not
 * open; selecting an element on the canvas brings the inspector to the front. Memoised: a node drag
 * re-renders the canvas on every mouse move, and the panel does not depend on positions.
 */
export const GraphSidePanel = memo(function GraphSidePanel(props: GraphSidePanelProps) {
  const { bufferKey, draft, selection, editable, onChange } = props;
  const tab = useSystemsPanelStore((s) => s.tabs[bufferKey] ?? 'inspector');
  const selectionKey = selection ? `${selection.type}:${selection.id}` : null;
  const previous = useRef(selectionKey);

  useEffect(() => {
    if (selectionKey === previous.current) return;
    previous.current = selectionKey;
    if (selectionKey) useSystemsPanelStore.getState().showTab(bufferKey, 'inspector');
  }, [selectionKey, bufferKey]);

  if (!selection && tab !== 'systems') return null;
  const tabs: SidePanelTab[] = ['inspector', 'systems'];
  return (
    <aside className="graph-side-panel" aria-label="Side panel">
      <div className="side-tabs" role="tablist" aria-label="Side panel tabs">
        {tabs.map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            id={`side-tab-${t}`}
            aria-selected={tab === t}
            tabIndex={tab === t ? 0 : -1}
            className={`view-tab side-tab${tab === t ? ' active' : ''}`}
            onClick={() => useSystemsPanelStore.getState().showTab(bufferKey, t)}
            onKeyDown={(event) => {
              if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
              const next = t === 'inspector' ? 'systems' : 'inspector';
              useSystemsPanelStore.getState().showTab(bufferKey, next);
              event.currentTarget.parentElement?.querySelector<HTMLElement>(`#side-tab-${next}`)?.focus();
            }}
          >
            {tabLabels[t]}
            {t === 'systems' ? <span className="count-pill">{draft.systems?.length ?? 0}</span> : null}
          </button>
        ))}
        {tab === 'systems' ? (
          <button
            type="button"
            className="icon-button side-close"
            aria-label="Close the systems tab"
            onClick={() => useSystemsPanelStore.getState().showTab(bufferKey, 'inspector')}
          >
            <Icon name="close" size={14} />
          </button>
        ) : null}
      </div>
      <div className="side-body" role="tabpanel" aria-labelledby={`side-tab-${tab}`}>
        {tab === 'systems' ? (
          <SystemsPanel
            bufferKey={bufferKey}
            draft={draft}
            reports={props.reports}
            editable={editable}
            onChange={onChange}
          />
        ) : selection ? (
          <GraphInspector
            draft={draft}
            selection={selection}
            reports={props.selectionReports}
            editable={editable}
            onChange={onChange}
            onRenamed={props.onRenamed}
          />
        ) : (
          <p className="inspector-empty muted">Select a state or a transition on the canvas.</p>
        )}
      </div>
    </aside>
  );
});

/** The canvas toolbar's "Systems" button: opens (or closes) the systems tab of the side panel. */
export function SystemsToggleButton({ bufferKey, count }: { bufferKey: string; count: number }) {
  const open = useSystemsPanelStore((s) => s.tabs[bufferKey] === 'systems');
  return (
    <Button
      size="sm"
      icon="file"
      aria-pressed={open}
      onClick={() => useSystemsPanelStore.getState().showTab(bufferKey, open ? 'inspector' : 'systems')}
      data-testid="systems-toggle"
    >
      Systems <span className="count-pill">{count}</span>
    </Button>
  );
}
