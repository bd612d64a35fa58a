import type { DefinitionDetail, Me } from '../../api/types.ts';
import { Button } from '../../components/Button.tsx';
import { EnvironmentBadge } from '../../components/EnvironmentBadge.tsx';
import { formatTime } from '../../lib/formatTime.ts';
import { canPublish } from '../../store/sessionStore.ts';

/** What an admin can do from the versions panel. */
export type VersionAction = 'create' | 'publish' | 'promote' | 'rollback';

export interface VersionsPanelProps {
  detail: DefinitionDetail;
  me: Me | null;
  dirty: boolean;
  onAction: (action: VersionAction) => void;
  onCompare: (version: number) => void;
}

/** Why each action is unavailable right now, or null when it is available. */
export function versionActionBlockers(detail: DefinitionDetail, me: Me | null, dirty: boolean) {
  const role = me?.role ?? 'unknown';
  const adminOnly = (what: string) =>
    canPublish(me)
      ? null
      : `Only admins can ${what}. You are signed in as ${role === 'analyst' ? 'an analyst' : `a ${role}`}.`;
  const { sandbox, production } = detail.environments;
  const hasOlder = (current: number | null) =>
    current !== null && detail.versions.some((v) => v.version < current);
  return {
    create:
      adminOnly('create versions') ??
      (dirty ? 'Save the draft first (Ctrl+S): a version freezes the saved draft.' : null),
    publish: adminOnly('publish') ?? (detail.versions.length === 0 ? 'Create a version first.' : null),
    promote:
      adminOnly('promote to production') ??
      (sandbox === null
        ? 'Publish a version to sandbox first.'
        : sandbox === production
          ? `Production already serves the sandbox version (v${sandbox}).`
          : null),
    rollback:
      adminOnly('roll back') ??
      (hasOlder(production) || hasOlder(sandbox) ? null : 'No earlier version to roll back to.'),
  } satisfies Record<VersionAction, string | null>;
}

/** Environments, publishing actions and the version history of a definition. */
export function VersionsPanel({ detail, me, dirty, onAction, onCompare }: VersionsPanelProps) {
  const blockers = versionActionBlockers(detail, me, dirty);
  const { sandbox, production } = detail.environments;

  return (
    <aside className="versions-panel" aria-label="Versions and environments">
      <section className="side-section">
        <h2>Environments</h2>
        <div className="env-rows" data-testid="environments">
          <div className="env-row">
            <EnvironmentBadge env="sandbox" version={sandbox} />
            <span className="muted small">
              {sandbox === null ? 'not published' : versionNote(detail, sandbox)}
            </span>
          </div>
          <div className="env-row">
            <EnvironmentBadge env="production" version={production} />
            <span className="muted small">
              {production === null ? 'not published' : versionNote(detail, production)}
            </span>
          </div>
        </div>
        <div className="action-grid">
          <Button
            variant="primary"
            icon="tag"
            disabledReason={blockers.create}
            onClick={() => onAction('create')}
          >
            Create version
          </Button>
          <Button icon="upload" disabledReason={blockers.publish} onClick={() => onAction('publish')}>
            Publish to sandbox
          </Button>
          <Button icon="rocket" disabledReason={blockers.promote} onClick={() => onAction('promote')}>
            Promote to production
          </Button>
          <Button
            variant="ghost"
            icon="undo"
            disabledReason={blockers.rollback}
            onClick={() => onAction('rollback')}
          >
            Roll back
          </Button>
        </div>
        {canPublish(me) ? null : (
          <p className="muted small lock-note">
            Publishing needs an admin key; you can still edit and save the draft.
          </p>
        )}
      </section>

      <section className="side-section grow">
        <h2>
          Versions <span className="muted">({detail.versions.length})</span>
        </h2>
        {detail.versions.length === 0 ? (
          <p className="muted small">
            No versions yet. A version freezes the saved draft so it can be published.
          </p>
        ) : (
          <ol className="version-list" data-testid="version-list">
            {detail.versions.map((v) => {
              const time = formatTime(v.createdAt);
              return (
                <li key={v.version} className="version-item">
                  <div className="version-head">
                    <strong>v{v.version}</strong>
                    {v.version === sandbox ? <span className="mini-badge env-sandbox">sandbox</span> : null}
                    {v.version === production ? (
                      <span className="mini-badge env-production">production</span>
                    ) : null}
                    <button
                      type="button"
                      className="link small push-right"
                      onClick={() => onCompare(v.version)}
                      title={`Compare version ${v.version} with the draft`}
                    >
                      Compare
                    </button>
                  </div>
                  <div className="version-note">{v.note || <span className="muted">No note</span>}</div>
                  <div className="muted small">
                    {v.createdBy} ·{' '}
                    <time dateTime={v.createdAt} title={time.exact}>
                      {time.label}
                    </time>
                  </div>
                </li>
              );
            })}
          </ol>
        )}
      </section>
    </aside>
  );
}

function versionNote(detail: DefinitionDetail, version: number): string {
  const found = detail.versions.find((v) => v.version === version);
  return found?.note || `version ${version}`;
}
