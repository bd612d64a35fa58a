import type { CompiledStatusGraph } from '@orderloom/engine';
import { useEffect, useMemo, useRef } from 'react';
import { Button } from '../../../components/Button.tsx';
import { Icon } from '../../../components/Icon.tsx';
import { useDebouncedValue } from '../../../lib/useDebouncedValue.ts';
import { compileSimulationGraph } from './compileSimulationGraph.ts';
import { formatDuration, formatElapsed } from './formatDuration.ts';
import { SimulationFrameView } from './SimulationFrameView.tsx';
import { SimulationTimeline } from './SimulationTimeline.tsx';
import { SimulatorEventBuilder } from './SimulatorEventBuilder.tsx';
import { type SimulationFrame, simulateStatusGraph } from './simulateStatusGraph.ts';
import { missingCodes, simulatorScenarios } from './simulatorScenarios.ts';
import { emptySession, useSimulatorStore } from './simulatorStore.ts';

const transportIcons = {
  reset: 'M6 5v14M18 6l-8 6 8 6z',
  back: 'M15 6l-6 6 6 6',
  forward: 'M9 6l6 6-6 6',
};

const clockMoves = [
  { minutes: 1, label: '+1 min' },
  { minutes: 15, label: '+15 min' },
  { minutes: 60, label: '+1 h' },
];

/** Shown until the first step is added; one object, so memoised results stay valid across renders. */
const newSession = emptySession();

type Run = { ok: true; frames: SimulationFrame[] } | { ok: false; message: string };

/**
 * The status-graph simulator: plays a script of system events and clock moves on the draft being edited,
 * with `packages/engine` (the runtime's code), and shows each step. Default export for `React.lazy`.
 */
export default function SimulatorPanel({ bufferKey, text }: { bufferKey: string; text: string }) {
  const session = useSimulatorStore((s) => s.sessions[bufferKey]) ?? newSession;
  const store = useSimulatorStore.getState();
  const compiledText = useDebouncedValue(text, 200);
  const compiled = useMemo(() => compileSimulationGraph(compiledText), [compiledText]);
  // While the draft does not compile, the last draft that did keeps showing, dimmed, under the reason.
  const lastGood = useRef<CompiledStatusGraph | null>(null);
  if (compiled.ok) lastGood.current = compiled.graph;
  const graph = compiled.ok ? compiled.graph : lastGood.current;

  const run = useMemo((): Run | null => {
    if (!graph) return null;
    try {
      const frames = simulateStatusGraph(graph, session.steps, {
        orderId: session.orderId,
        startAt: session.startAt,
      });
      return { ok: true, frames };
    } catch (cause) {
      return { ok: false, message: cause instanceof Error ? cause.message : String(cause) };
    }
  }, [graph, session.steps, session.orderId, session.startAt]);

  const frames = run?.ok ? run.frames : [];
  const cursor = Math.min(session.cursor, Math.max(frames.length - 1, 0));
  const frame = frames[cursor];
  const nextDue = frame?.pendingTimers[0];

  const highlightState = frame?.order?.status ?? null;
  const highlightTransitions = useMemo(() => frame?.transitions.map((t) => t.id) ?? [], [frame]);
  useEffect(() => {
    useSimulatorStore
      .getState()
      .setHighlight(bufferKey, { state: highlightState, transitions: highlightTransitions });
  }, [bufferKey, highlightState, highlightTransitions]);
  useEffect(() => () => useSimulatorStore.getState().setHighlight(bufferKey, null), [bufferKey]);

  const noGraph = !compiled.ok;
  const steps = session.steps.length;
  const scenarioHelp = graph
    ? new Map(simulatorScenarios.map((s) => [s.id, missingCodes(graph, s)]))
    : new Map<string, string[]>();
  const scenario = simulatorScenarios.find((s) => s.id === session.scenarioId);

  return (
    <section className="sim-dock open" aria-label="Simulator" data-testid="simulator">
      <header className="sim-header">
        <button
          type="button"
          className="sim-toggle"
          aria-expanded
          onClick={() => store.setOpen(bufferKey, false)}
          data-testid="simulator-toggle"
        >
          <Icon name="chevronRight" size={14} />
          Simulate
        </button>
        <span
          className="sim-clock"
          data-testid="sim-clock"
          title={frame ? new Date(frame.now).toString() : ''}
        >
          {frame ? formatElapsed(frame.now, session.startAt) : 'T+0:00'}
        </span>
        <span className="sim-step-count muted small" data-testid="sim-step-count">
          step {cursor} of {steps}
        </span>
        <div className="sim-transport" role="toolbar" aria-label="Simulation steps">
          <Button
            size="sm"
            variant="ghost"
            onClick={() => store.jumpTo(bufferKey, 0)}
            disabledReason={cursor === 0 ? 'Already at the start.' : null}
            data-testid="sim-reset"
          >
            <Icon path={transportIcons.reset} /> Reset
          </Button>
          <Button
            size="sm"
            onClick={() => store.jumpTo(bufferKey, cursor - 1)}
            disabledReason={cursor === 0 ? 'Already at the start.' : null}
            data-testid="sim-back"
          >
            <Icon path={transportIcons.back} /> Back
          </Button>
          <Button
            size="sm"
            onClick={() => store.jumpTo(bufferKey, cursor + 1)}
            disabledReason={cursor >= steps ? 'No more steps: apply an event or move the clock.' : null}
            data-testid="sim-forward"
          >
            Forward <Icon path={transportIcons.forward} />
          </Button>
        </div>
        <select
          className="input sim-scenario"
          aria-label="Load a scenario"
          value=""
          onChange={(event) => {
            const chosen = simulatorScenarios.find((s) => s.id === event.target.value);
            if (chosen) store.loadScript(bufferKey, chosen.steps, chosen.id);
          }}
          data-testid="sim-scenario"
        >
          <option value="">Load scenario…</option>
          {simulatorScenarios.map((s) => {
            const missing = scenarioHelp.get(s.id) ?? [];
            return (
              <option key={s.id} value={s.id} disabled={missing.length > 0}>
                {missing.length ? `${s.label} (needs ${missing.join(', ')})` : s.label}
              </option>
            );
          })}
        </select>
        <Button
          size="sm"
          variant="ghost"
          onClick={() => store.loadScript(bufferKey, [], null)}
          disabledReason={steps === 0 ? 'The script is empty.' : null}
        >
          Clear
        </Button>
      </header>

      {noGraph ? (
        <div className="sim-invalid" role="alert" data-testid="sim-invalid">
          <Icon name="error" size={14} />
          <div>
            <strong>{compiled.message}</strong>{' '}
            {lastGood.current ? 'Showing the last draft that compiled.' : 'Nothing to simulate yet.'}
            <ul>
              {compiled.reports.slice(0, 3).map((r) => (
                <li key={`${r.path}:${r.message}`}>
                  <code>{r.path || '/'}</code> {r.message}
                </li>
              ))}
              {compiled.reports.length > 3 ? (
                <li>…and {compiled.reports.length - 3} more (see Problems).</li>
              ) : null}
            </ul>
          </div>
        </div>
      ) : compiled.lintErrors.length ? (
        <p className="sim-note" role="status">
          <Icon name="alert" size={13} /> The engine runs this draft, but it has {compiled.lintErrors.length}{' '}
          lint error{compiled.lintErrors.length === 1 ? '' : 's'} that keep it from becoming a version.
        </p>
      ) : null}
      {run && !run.ok ? (
        <p className="sim-invalid" role="alert">
          <Icon name="error" size={14} /> The simulation stopped: {run.message}
        </p>
      ) : null}

      {graph && frame ? (
        <div className={`sim-body${noGraph ? ' stale' : ''}`}>
          <div className="sim-column sim-feed">
            <fieldset className="sim-clock-moves">
              <legend>Move the clock</legend>
              {clockMoves.map((m) => (
                <Button
                  key={m.minutes}
                  size="sm"
                  onClick={() => store.addStep(bufferKey, { kind: 'advance', minutes: m.minutes })}
                  disabledReason={noGraph ? 'The draft does not compile.' : null}
                >
                  {m.label}
                </Button>
              ))}
              <Button
                size="sm"
                onClick={() => store.addStep(bufferKey, { kind: 'next-deadline' })}
                disabledReason={
                  noGraph ? 'The draft does not compile.' : nextDue ? null : 'No SLA deadline is pending.'
                }
                title={
                  nextDue
                    ? `${nextDue.slaId} ${nextDue.level} at ${formatElapsed(nextDue.dueAt, session.startAt)}`
                    : undefined
                }
                data-testid="sim-next-deadline"
              >
                Next SLA deadline
              </Button>
              <span className="sim-next-due muted small" data-testid="sim-next-due">
                {nextDue
                  ? `${nextDue.level} in ${formatDuration(nextDue.dueAt - frame.now)} (${formatElapsed(nextDue.dueAt, session.startAt)})`
                  : 'no deadline pending'}
              </span>
            </fieldset>
            <h3>Feed an event</h3>
            <SimulatorEventBuilder
              graph={graph}
              orderChannel={frame.order?.channel}
              disabled={noGraph}
              onAdd={(step) => store.addStep(bufferKey, step)}
            />
          </div>
          <div className="sim-column sim-steps">
            <h3>Steps</h3>
            {scenario ? (
              <p className="sim-hint" title={scenario.description}>
                <strong>{scenario.label}.</strong> {scenario.description}
              </p>
            ) : null}
            <SimulationTimeline
              graph={graph}
              steps={session.steps}
              frames={frames}
              cursor={cursor}
              startAt={session.startAt}
              onJump={(to) => store.jumpTo(bufferKey, to)}
              onRemove={(index) => store.removeStep(bufferKey, index)}
            />
          </div>
          <div className="sim-column sim-detail">
            <SimulationFrameView graph={graph} frame={frame} startAt={session.startAt} />
          </div>
        </div>
      ) : null}
    </section>
  );
}
