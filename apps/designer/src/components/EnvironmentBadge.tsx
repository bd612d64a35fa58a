import type { EnvironmentName } from '../api/types.ts';

/** "Sandbox v3" / "Production —": which version an environment serves. */
export function EnvironmentBadge({
  env,
  version,
  compact = false,
}: {
  env: EnvironmentName;
  version: number | null;
  compact?: boolean;
}) {
  const label = env === 'sandbox' ? 'Sandbox' : 'Production';
  return (
    <span
      className={`env-badge env-${env}${version === null ? ' env-none' : ''}`}
      data-testid={`env-badge-${env}`}
      title={
        version === null ? `Not published to ${label.toLowerCase()}` : `${label} serves version ${version}`
      }
    >
      <span className="env-dot" aria-hidden />
      {compact ? label.slice(0, 4) : label} <strong>{version === null ? '—' : `v${version}`}</strong>
    </span>
  );
}
