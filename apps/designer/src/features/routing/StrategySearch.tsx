import './strategySearch.css';
import { type RefObject, useMemo, useState } from 'react';
import { Icon } from '../../components/Icon.tsx';
import { MatchStepper } from '../../components/MatchStepper.tsx';
import type { RoutingDraft } from './routingModel.ts';
import { searchStrategy } from './searchStrategy.ts';

const searchIconPath = 'M11 4a7 7 0 1 0 0 14 7 7 0 0 0 0-14zM20 20l-4-4';
/** The form's items (not the sections, not fields inside an item), all or the one of `field`. */
const item = (field?: string) =>
  `.strategy-form :is(.factor-row, .item-card)[data-field${field ? `="${field}"` : ''}]`;

/**
 * Find in the strategy form: factors, constraints, parameters and segments whose name matches are
 * highlighted and the others dimmed; Enter scrolls to the next match, Shift+Enter back, Esc clears.
 * The highlight is a style rule keyed on the items' `data-field`, so the form itself needs no changes.
 */
export function StrategySearch({
  draft,
  formRef,
}: {
  draft: RoutingDraft;
  formRef: RefObject<HTMLElement | null>;
}) {
  const [query, setQuery] = useState('');
  const [current, setCurrent] = useState(-1);
  const matches = useMemo(() => searchStrategy(draft, query), [draft, query]);
  const active = query.trim() !== '';
  const jumped = matches[current];

  const step = (direction: 1 | -1) => {
    if (matches.length === 0) return;
    const next =
      current < 0 && direction === -1
        ? matches.length - 1
        : (current + direction + matches.length) % matches.length;
    setCurrent(next);
    const field = matches[next]?.field;
    const target = field ? formRef.current?.querySelector<HTMLElement>(`[data-field="${field}"]`) : null;
    target?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  };

  const rules = active
    ? [
        `${item()} { opacity: 0.4; }`,
        ...matches.map(
          (m) => `${item(m.field)} { opacity: 1; border-color: #e0a100; box-shadow: 0 0 0 3px #fbe7a8; }`,
        ),
        jumped ? `${item(jumped.field)} { border-color: #b47a00; box-shadow: 0 0 0 4px #f5cf5c; }` : '',
      ].join('\n')
    : '';

  const count = !active
    ? ''
    : matches.length === 0
      ? 'No match'
      : current < 0
        ? `${matches.length} found`
        : `${current + 1} of ${matches.length}`;

  return (
    <search className="strategy-search" aria-label="Find in the strategy">
      <Icon path={searchIconPath} size={14} />
      <input
        type="search"
        value={query}
        placeholder="Find a factor, constraint, parameter or segment"
        aria-label="Find in the strategy"
        onChange={(event) => {
          setQuery(event.target.value);
          setCurrent(-1);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            step(event.shiftKey ? -1 : 1);
          } else if (event.key === 'Escape' && query) {
            event.preventDefault();
            setQuery('');
            setCurrent(-1);
          }
        }}
        data-testid="strategy-search-input"
      />
      <span
        className={`strategy-search-count${active && matches.length === 0 ? ' none' : ''}`}
        aria-live="polite"
        data-testid="strategy-search-count"
      >
        {jumped ? `${count} · ${jumped.section}` : count}
      </span>
      <MatchStepper disabled={matches.length === 0} onStep={step} />
      {rules ? <style>{rules}</style> : null}
    </search>
  );
}
