import type { CompiledStatusGraph } from '@orderloom/engine';
import { Icon } from '../../../components/Icon.tsx';
import { formatElapsed } from './formatDuration.ts';
import type { SimulationFrame, SimulationStep } from './simulateStatusGraph.ts';

function stepTitle(step: SimulationStep): string {
  switch (step.kind) {
    case 'event':
      return `${step.system} ${step.code}`;
    case 'advance':
      return step.minutes >= 60 && step.minutes % 60 === 0
        ? `Clock +${step.minutes / 60} h`
        : `Clock +${step.minutes} min`;
    case 'next-deadline':
      return 'Clock to next SLA deadline';
  }
}

function outcome(graph: CompiledStatusGraph, frame: SimulationFrame | undefined): string {
  if (!frame) return '';
  if (frame.problem) return frame.problem;
  const parts: string[] = [];
  const last = frame.transitions.at(-1);
  if (last) parts.push(`→ ${graph.states.get(last.to)?.labels.en ?? last.to}`);
  if (frame.alerts.length) {
    parts.push(frame.alerts.map((a) => (a.type === 'sla' ? a.level : 'path violation')).join(', '));
  }
  return parts.join(' · ');
}

/**
 * The script as a list: every step with what it did; steps after the one shown are not applied yet.
 * Clicking a step shows the simulation right after it.
 */
export function SimulationTimeline({
  graph,
  steps,
  frames,
  cursor,
  startAt,
  onJump,
  onRemove,
}: {
  graph: CompiledStatusGraph;
  steps: readonly SimulationStep[];
  frames: readonly SimulationFrame[];
  cursor: number;
  startAt: number;
  onJump: (cursor: number) => void;
  onRemove: (index: number) => void;
}) {
  return (
    <ol className="sim-timeline" aria-label="Simulation steps" data-testid="sim-timeline">
      <li className={`sim-timeline-item${cursor === 0 ? ' current' : ''}`}>
        <button
          type="button"
          className="sim-timeline-jump"
          aria-current={cursor === 0 ? 'step' : undefined}
          onClick={() => onJump(0)}
        >
          <span className="sim-timeline-index">0</span>
          <span className="sim-timeline-text">
            <strong>Start</strong>
            <span className="muted">no order until the first event</span>
          </span>
          <span className="sim-timeline-time">T+0:00</span>
        </button>
      </li>
      {steps.map((step, i) => {
        const index = i + 1;
        const frame = frames[index];
        const applied = index <= cursor;
        const classes = ['sim-timeline-item'];
        if (index === cursor) classes.push('current');
        if (!applied) classes.push('pending');
        if (frame?.problem) classes.push('has-problem');
        if (frame?.alerts.length) classes.push('has-alert');
        return (
          <li key={step.id} className={classes.join(' ')} data-testid={`sim-step-${index}`}>
            <button
              type="button"
              className="sim-timeline-jump"
              aria-current={index === cursor ? 'step' : undefined}
              title={applied ? 'Show the simulation after this step' : 'Apply the script up to this step'}
              onClick={() => onJump(index)}
            >
              <span className="sim-timeline-index">{index}</span>
              <span className="sim-timeline-text">
                <strong>{stepTitle(step)}</strong>
                <span className="muted">{applied ? outcome(graph, frame) : 'not applied yet'}</span>
              </span>
              <span className="sim-timeline-time">{frame ? formatElapsed(frame.now, startAt) : ''}</span>
            </button>
            <button
              type="button"
              className="sim-timeline-remove"
              aria-label={`Remove step ${index}: ${stepTitle(step)}`}
              title="Remove this step"
              onClick={() => onRemove(i)}
            >
              <Icon name="close" size={12} />
            </button>
          </li>
        );
      })}
    </ol>
  );
}
