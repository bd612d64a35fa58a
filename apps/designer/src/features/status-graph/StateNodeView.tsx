import { Handle, type NodeProps, Position } from '@xyflow/react';
import { memo } from 'react';
import type { StateNode } from './graphToFlow.ts';

/** A canonical state on the canvas: English and Chinese labels, id, steward, initial/terminal markers. */
export const StateNodeView = memo(function StateNodeView({ data }: NodeProps<StateNode>) {
  const { state, marker, slaCount } = data;
  const classes = ['state-node'];
  if (marker) classes.push(`marker-${marker}`);
  if (state.initial) classes.push('is-initial');
  if (state.terminal) classes.push('is-terminal');
  return (
    <div className={classes.join(' ')} data-testid={`state-node-${state.id}`}>
      <Handle type="target" position={Position.Left} />
      <div className="state-node-head">
        {state.initial ? (
          <span className="state-flag flag-initial" title="Initial state">
            Start
          </span>
        ) : null}
        {state.terminal ? (
          <span className="state-flag flag-terminal" title="Terminal state">
            End
          </span>
        ) : null}
        <span className="state-label-en">{state.labels?.en || state.id}</span>
      </div>
      {state.labels?.zh ? (
        <div className="state-label-zh" lang="zh">
          {state.labels.zh}
        </div>
      ) : null}
      <div className="state-node-foot">
        <code>{state.id}</code>
        {state.steward ? <span title={`Steward: ${state.steward}`}>{state.steward}</span> : null}
        {slaCount > 0 ? <span className="state-sla">SLA ×{slaCount}</span> : null}
      </div>
      <Handle type="source" position={Position.Right} />
    </div>
  );
});
