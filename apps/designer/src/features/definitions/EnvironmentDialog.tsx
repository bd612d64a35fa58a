import { useId, useState } from 'react';
import { describeError } from '../../api/apiClient.ts';
import type { DefinitionDetail, EnvironmentName } from '../../api/types.ts';
import { useDiff } from '../../api/useDiff.ts';
import { useSetEnvironment } from '../../api/useSetEnvironment.ts';
import { useVersion } from '../../api/useVersion.ts';
import { Button } from '../../components/Button.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { Icon } from '../../components/Icon.tsx';
import { LazyJsonDiffView } from '../../components/LazyMonaco.tsx';
import { formatTime } from '../../lib/formatTime.ts';
import { toast } from '../../store/toastStore.ts';
import { DiffLabels } from './DiffDialog.tsx';
import { definitionText } from './definitionText.ts';
import { PatchSummary } from './PatchSummary.tsx';

/** The three ways an admin moves an environment; all are one `PUT …/environments/:env`. */
export type EnvironmentAction = 'publish' | 'promote' | 'rollback';

const envLabel: Record<EnvironmentName, string> = { sandbox: 'Sandbox', production: 'Production' };

/** Which environment an action moves by default, and which version it proposes. */
export function environmentDefaults(
  action: EnvironmentAction,
  detail: DefinitionDetail,
): { env: EnvironmentName; version: number | null } {
  const latest = detail.versions[0]?.version ?? null;
  if (action === 'publish') return { env: 'sandbox', version: latest };
  if (action === 'promote') return { env: 'production', version: detail.environments.sandbox };
  const env: EnvironmentName = detail.environments.production !== null ? 'production' : 'sandbox';
  return { env, version: previousVersion(detail, detail.environments[env]) };
}

/** The newest version older than `current`. */
function previousVersion(detail: DefinitionDetail, current: number | null): number | null {
  if (current === null) return null;
  return detail.versions.find((v) => v.version < current)?.version ?? null;
}

export interface EnvironmentDialogProps {
  action: EnvironmentAction;
  detail: DefinitionDetail;
  onClose: () => void;
}

/** Publish, promote or roll back, after showing the diff between what the environment serves and the target. */
export function EnvironmentDialog({ action, detail, onClose }: EnvironmentDialogProps) {
  const { kind, id } = detail;
  const defaults = environmentDefaults(action, detail);
  const [env, setEnv] = useState<EnvironmentName>(defaults.env);
  const [target, setTarget] = useState<number | null>(defaults.version);
  const [error, setError] = useState<string | null>(null);
  const selectId = useId();
  const current = detail.environments[env];
  const setEnvironment = useSetEnvironment();

  const currentVersion = useVersion(kind, id, current);
  const targetVersion = useVersion(kind, id, target);
  const patch = useDiff(kind, id, current, target);

  const choices =
    action === 'rollback'
      ? detail.versions.filter((v) => current === null || v.version < current)
      : detail.versions;
  const title =
    action === 'publish'
      ? 'Publish to sandbox'
      : action === 'promote'
        ? 'Promote to production'
        : `Roll back ${envLabel[env].toLowerCase()}`;
  const verb = action === 'publish' ? 'Publish' : action === 'promote' ? 'Promote' : 'Roll back to';

  const unchangedReason =
    target === null
      ? 'Choose a version.'
      : target === current
        ? `${envLabel[env]} already serves version ${target}.`
        : null;

  async function confirm() {
    if (target === null) return;
    setError(null);
    try {
      await setEnvironment.mutateAsync({ kind, id, env, version: target });
      toast.success(
        `${envLabel[env]} now serves version ${target}`,
        current === null ? undefined : `Was version ${current}.`,
      );
      onClose();
    } catch (cause) {
      setError(describeError(cause));
    }
  }

  const waiting =
    (current !== null && currentVersion.isPending) || (target !== null && targetVersion.isPending);

  return (
    <Dialog
      open
      size="xl"
      title={title}
      description={
        action === 'promote'
          ? 'Production may only serve a version that has been in sandbox.'
          : action === 'rollback'
            ? 'Point the environment back at an earlier version. Takes effect on the next request.'
            : 'Sandbox serves the chosen version on the next request; production is unaffected.'
      }
      onClose={onClose}
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button
            variant={action === 'rollback' ? 'danger' : 'primary'}
            icon={action === 'rollback' ? 'undo' : action === 'promote' ? 'rocket' : 'upload'}
            busy={setEnvironment.isPending}
            disabledReason={unchangedReason}
            onClick={() => void confirm()}
            data-testid="confirm-environment"
          >
            {target === null ? verb : `${verb} v${target}`}
          </Button>
        </>
      }
    >
      <div className="env-picker">
        {action === 'rollback' ? (
          <fieldset className="segmented">
            <legend className="visually-hidden">Environment</legend>
            {(['production', 'sandbox'] as const).map((candidate) => (
              <label key={candidate} className={env === candidate ? 'checked' : undefined}>
                <input
                  type="radio"
                  name="rollback-env"
                  value={candidate}
                  checked={env === candidate}
                  onChange={() => {
                    setEnv(candidate);
                    setTarget(previousVersion(detail, detail.environments[candidate]));
                  }}
                />
                {envLabel[candidate]}
              </label>
            ))}
          </fieldset>
        ) : null}
        <div className="env-transition">
          <span className={`env-badge env-${env}`}>
            <span className="env-dot" aria-hidden />
            {envLabel[env]} <strong>{current === null ? '—' : `v${current}`}</strong>
          </span>
          <Icon name="chevronRight" />
          <label htmlFor={selectId} className="visually-hidden">
            Target version
          </label>
          <select
            id={selectId}
            value={target ?? ''}
            onChange={(event) => setTarget(event.target.value ? Number(event.target.value) : null)}
            data-testid="target-version"
          >
            {choices.length === 0 ? <option value="">No version available</option> : null}
            {choices.map((v) => (
              <option key={v.version} value={v.version}>
                v{v.version}
                {v.note ? ` — ${v.note}` : ''} ({formatTime(v.createdAt).label})
              </option>
            ))}
          </select>
        </div>
      </div>
      {error ? (
        <div className="panel-message error" role="alert">
          <Icon name="error" /> {error}
        </div>
      ) : null}
      {current !== null && target !== null && target !== current ? (
        <PatchSummary patch={patch.data} loading={patch.isPending} />
      ) : null}
      <DiffLabels
        original={
          current === null ? `${envLabel[env]}: nothing published` : `${envLabel[env]} now: v${current}`
        }
        modified={target === null ? 'Target' : `Target: v${target}`}
      />
      {waiting ? (
        <div className="editor-loading" style={{ height: 380 }}>
          Loading versions…
        </div>
      ) : (
        <LazyJsonDiffView
          original={current === null ? '' : definitionText(currentVersion.data?.definition)}
          modified={target === null ? '' : definitionText(targetVersion.data?.definition)}
          height={380}
        />
      )}
    </Dialog>
  );
}
