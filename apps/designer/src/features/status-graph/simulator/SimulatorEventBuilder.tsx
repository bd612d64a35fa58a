import type { CompiledStatusGraph, CompiledSystemStatus } from '@orderloom/engine';
import { useId, useMemo, useState } from 'react';
import { Button } from '../../../components/Button.tsx';
import type { SimulationStepInput } from './simulateStatusGraph.ts';

/** Channels offered besides the ones the graph names: DOMAIN.md's sales channels. */
const knownChannels = ['douyin', 'pinduoduo', 'mini-program'];

/** `{ "outboundNo": "outboundNo-001" }` for a code whose `sets` read `data.outboundNo`. */
function dataTemplate(status: CompiledSystemStatus | undefined): string {
  const keys = new Set<string>();
  for (const setter of status?.sets ?? []) {
    for (const match of setter.expression.expression.matchAll(/\bdata\.([A-Za-z_]\w*)/g)) {
      if (match[1]) keys.add(match[1]);
    }
  }
  if (keys.size === 0) return '';
  return JSON.stringify(Object.fromEntries([...keys].map((k) => [k, `${k}-001`])), null, 2);
}

function parseData(
  text: string,
): { ok: true; data?: Record<string, unknown> } | { ok: false; message: string } {
  if (!text.trim()) return { ok: true };
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return { ok: false, message: 'Event data must be a JSON object.' };
    }
    return { ok: true, data: value as Record<string, unknown> };
  } catch (cause) {
    return { ok: false, message: cause instanceof Error ? cause.message : String(cause) };
  }
}

/** Builds a system event from the graph's dictionaries and adds it to the script. */
export function SimulatorEventBuilder({
  graph,
  orderChannel,
  disabled,
  onAdd,
}: {
  graph: CompiledStatusGraph;
  /** The channel the simulated order already has (later events cannot change it). */
  orderChannel: string | undefined;
  disabled: boolean;
  onAdd: (step: SimulationStepInput) => void;
}) {
  const id = useId();
  const systems = graph.definition.systems;
  const [systemChoice, setSystem] = useState('');
  const system = systems.some((s) => s.id === systemChoice) ? systemChoice : (systems[0]?.id ?? '');
  const codes = graph.systems.get(system);
  const [codeChoice, setCode] = useState('');
  const code = codes?.has(codeChoice) ? codeChoice : (codes?.keys().next().value ?? '');
  const status = codes?.get(code);
  const [dataText, setDataText] = useState<string | null>(null);
  const shownData = dataText ?? dataTemplate(status);
  const [channelChoice, setChannel] = useState<string | null>(null);
  const channel = channelChoice ?? orderChannel ?? '';
  const data = useMemo(() => parseData(shownData), [shownData]);

  const channels = useMemo(() => {
    const named = [
      ...graph.definition.channels,
      ...graph.definition.slas.flatMap((s) => (s.channel ? [s.channel] : [])),
      ...knownChannels,
    ];
    return [...new Set(named)];
  }, [graph]);

  const apply = () => {
    if (!status || !data.ok) return;
    onAdd({
      kind: 'event',
      system,
      code,
      ...(channel ? { channel } : {}),
      ...(data.data ? { data: data.data } : {}),
    });
    setDataText(null);
  };

  const effects = [
    ...(status?.sets.map((s) => `sets ${s.factPath}`) ?? []),
    ...(status?.implies ? [`implies ${status.implies}`] : []),
  ];

  return (
    <form
      className="sim-builder"
      aria-label="System event"
      onSubmit={(event) => {
        event.preventDefault();
        apply();
      }}
    >
      <div className="sim-field-row">
        <label className="sim-field">
          <span>System</span>
          <select
            className="input"
            value={system}
            onChange={(event) => {
              setSystem(event.target.value);
              setCode('');
              setDataText(null);
            }}
            data-testid="sim-system"
          >
            {systems.map((s) => (
              <option key={s.id} value={s.id}>
                {s.id}
              </option>
            ))}
          </select>
        </label>
        <label className="sim-field">
          <span>Channel</span>
          <select
            className="input"
            value={channel}
            onChange={(event) => setChannel(event.target.value)}
            title={
              orderChannel ? `The order is on ${orderChannel}; a later event cannot change it.` : undefined
            }
            data-testid="sim-channel"
          >
            <option value="">(none)</option>
            {channels.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
      </div>
      <label className="sim-field">
        <span>Code</span>
        <select
          className="input"
          value={code}
          onChange={(event) => {
            setCode(event.target.value);
            setDataText(null);
          }}
          data-testid="sim-code"
        >
          {[...(codes?.values() ?? [])].map((c) => (
            <option key={c.code} value={c.code} title={c.meaning}>
              {c.label ? `${c.code} · ${c.label}` : c.code}
            </option>
          ))}
        </select>
      </label>
      {status ? (
        <p className="sim-hint" title={status.meaning}>
          {status.meaning || 'No meaning written.'}
          {effects.length ? <span className="muted"> · {effects.join(' · ')}</span> : null}
        </p>
      ) : null}
      <label className="sim-field" htmlFor={`${id}-data`}>
        <span>Data (JSON, optional)</span>
      </label>
      <textarea
        id={`${id}-data`}
        className={`input mono sim-data${data.ok ? '' : ' invalid'}`}
        rows={2}
        spellCheck={false}
        placeholder="{}"
        value={shownData}
        aria-invalid={data.ok ? undefined : true}
        onChange={(event) => setDataText(event.target.value)}
        data-testid="sim-data"
      />
      {data.ok ? null : <p className="field-error">{data.message}</p>}
      <Button
        type="submit"
        variant="primary"
        size="sm"
        disabledReason={
          disabled
            ? 'The draft does not compile.'
            : !status
              ? 'This graph has no system codes yet.'
              : data.ok
                ? null
                : 'Fix the event data first.'
        }
        data-testid="sim-apply-event"
      >
        Apply event
      </Button>
    </form>
  );
}
