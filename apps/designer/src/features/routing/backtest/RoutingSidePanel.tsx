import './backtest.css';
import { lazy, Suspense, useId, useState } from 'react';
import type { RoutingDraft } from '../routingModel.ts';
import { WhatIfPanel } from '../WhatIfPanel.tsx';
import { type RoutingSideTab, useBacktestStore } from './backtestStore.ts';

const BacktestPanel = lazy(() => import('./BacktestPanel.tsx'));

const tabs: { id: RoutingSideTab; label: string }[] = [
  { id: 'what-if', label: 'What-if' },
  { id: 'backtest', label: 'Backtest' },
];

/**
 * The routing editor's side column: the what-if panel (one order, in the browser) and the backtest panel
 * (every stored decision, on the server), as tabs. Both stay mounted once shown, so switching keeps
 * their state; the backtest panel loads on first use.
 */
export function RoutingSidePanel({ draft, bufferKey }: { draft: RoutingDraft; bufferKey: string }) {
  // The buffer key is `routing/<definition id>`: the saved strategy, whatever the draft's `id` says now.
  const strategy = bufferKey.slice(bufferKey.indexOf('/') + 1);
  const tab = useBacktestStore((s) => s.tabs[strategy] ?? 'what-if');
  const [backtestShown, setBacktestShown] = useState(tab === 'backtest');
  const id = useId();
  const select = (next: RoutingSideTab) => {
    if (next === 'backtest') setBacktestShown(true);
    useBacktestStore.getState().setTab(strategy, next);
  };

  return (
    <div className="routing-side">
      <div className="routing-side-tabs" role="tablist" aria-label="Try the strategy">
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`${id}-${t.id}-tab`}
            aria-controls={`${id}-${t.id}`}
            aria-selected={tab === t.id}
            tabIndex={tab === t.id ? 0 : -1}
            className={tab === t.id ? 'active' : ''}
            onClick={() => select(t.id)}
            onKeyDown={(event) => {
              if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
              const next = t.id === 'what-if' ? 'backtest' : 'what-if';
              select(next);
              document.getElementById(`${id}-${next}-tab`)?.focus();
            }}
            data-testid={`routing-side-tab-${t.id}`}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div
        className="routing-side-panel"
        role="tabpanel"
        id={`${id}-what-if`}
        aria-labelledby={`${id}-what-if-tab`}
        hidden={tab !== 'what-if'}
      >
        <WhatIfPanel draft={draft} />
      </div>
      <div
        className="routing-side-panel"
        role="tabpanel"
        id={`${id}-backtest`}
        aria-labelledby={`${id}-backtest-tab`}
        hidden={tab !== 'backtest'}
      >
        {backtestShown ? (
          <Suspense fallback={<p className="muted backtest-loading">Loading backtests…</p>}>
            <BacktestPanel strategy={strategy} bufferKey={bufferKey} />
          </Suspense>
        ) : null}
      </div>
    </div>
  );
}
