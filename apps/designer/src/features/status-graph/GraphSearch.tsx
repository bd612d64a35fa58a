import './graphSearch.css';
import { type RefObject, useId } from 'react';
import { Button } from '../../components/Button.tsx';
import { Icon } from '../../components/Icon.tsx';
import { MatchStepper } from '../../components/MatchStepper.tsx';

/** Magnifier (24×24). */
export const searchIconPath = 'M11 4a7 7 0 1 0 0 14 7 7 0 0 0 0-14zM20 20l-4-4';

export interface GraphSearchProps {
  inputRef: RefObject<HTMLInputElement | null>;
  query: string;
  onQuery: (query: string) => void;
  /** Ids of the states found, in graph order. */
  matches: readonly string[];
  /** Index into `matches` of the state jumped to last; -1 before the first jump. */
  current: number;
  /** Jumps to the next (1) or previous (-1) match. */
  onStep: (direction: 1 | -1) => void;
  onClose: () => void;
}

/** The canvas toolbar's find box: Enter jumps to the next state found, Shift+Enter back, Esc closes. */
export function GraphSearch({
  inputRef,
  query,
  onQuery,
  matches,
  current,
  onStep,
  onClose,
}: GraphSearchProps) {
  const countId = useId();
  const count =
    query.trim() === ''
      ? ''
      : matches.length === 0
        ? 'No match'
        : current < 0
          ? `${matches.length} found`
          : `${current + 1} of ${matches.length}`;
  return (
    <search className="graph-search" aria-label="Find states">
      <Icon path={searchIconPath} size={14} />
      <input
        ref={inputRef}
        type="text"
        value={query}
        placeholder="Id, label or steward"
        aria-label="Find state"
        aria-describedby={countId}
        onChange={(event) => onQuery(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            onStep(event.shiftKey ? -1 : 1);
          } else if (event.key === 'Escape') {
            event.preventDefault();
            onClose();
          } else if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'f') {
            event.preventDefault();
            event.currentTarget.select();
          }
        }}
        data-testid="graph-search-input"
      />
      <span
        id={countId}
        className={`graph-search-count${matches.length === 0 && query.trim() ? ' none' : ''}`}
        aria-live="polite"
        data-testid="graph-search-count"
      >
        {count}
      </span>
      <MatchStepper disabled={matches.length === 0} onStep={onStep} />
      <Button
        size="sm"
        variant="ghost"
        icon="close"
        aria-label="Close search (Esc)"
        title="Close (Esc)"
        onClick={onClose}
      />
    </search>
  );
}
