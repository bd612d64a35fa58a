import { useEffect, useId, useState } from 'react';
import type { GraphDraft } from './statusGraphModel.ts';

/** Splits "douyin, tmall" into unique, trimmed channel names. */
export function parseChannels(text: string): string[] {
  return [...new Set(text.split(',').map((c) => c.trim()))].filter((c) => c !== '');
}

/**
 * The order channels this graph serves (the runtime picks a new order's graph by its channel; a graph
 * without channels is the default). Edited as a comma-separated list, committed on Enter or blur.
 */
export function ChannelsField({
  draft,
  editable,
  onChange,
}: {
  draft: GraphDraft;
  editable: boolean;
  onChange: (draft: GraphDraft) => void;
}) {
  const id = useId();
  const stored = (draft.channels ?? []).join(', ');
  const [text, setText] = useState(stored);
  useEffect(() => setText(stored), [stored]);
  const commit = () => {
    const channels = parseChannels(text);
    if (channels.join(', ') !== stored) onChange({ ...draft, channels });
    else setText(stored);
  };
  return (
    <div className="channels-field">
      <label htmlFor={id} className="channels-label">
        Order channels
      </label>
      <input
        id={id}
        className="input"
        value={text}
        placeholder="all channels (default graph)"
        disabled={!editable}
        onChange={(event) => setText(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === 'Enter') commit();
        }}
        data-testid="graph-channels"
      />
      <p className="field-hint">
        New orders of these channels (comma-separated) follow this graph; leave empty for the default graph.
      </p>
    </div>
  );
}
