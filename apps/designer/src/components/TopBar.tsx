import { useDefinition } from '../api/useDefinition.ts';
import { parseKind } from '../features/kindRegistry.ts';
import { navigate, useRouteSegments } from '../lib/router.ts';
import { isDirty, useEditorStore } from '../store/editorStore.ts';
import { useSessionStore } from '../store/sessionStore.ts';
import { EnvironmentBadge } from './EnvironmentBadge.tsx';
import { Icon } from './Icon.tsx';

function DefinitionEnvironments({
  kind,
  id,
}: {
  kind: NonNullable<ReturnType<typeof parseKind>>;
  id: string;
}) {
  const { data } = useDefinition(kind, id);
  if (!data) return null;
  return (
    <section
      className="topbar-envs"
      data-testid="topbar-environments"
      aria-label="Environments of this definition"
    >
      <EnvironmentBadge env="sandbox" version={data.environments.sandbox} />
      <EnvironmentBadge env="production" version={data.environments.production} />
    </section>
  );
}

/** Product name, the open definition's environments, and who is signed in. */
export function TopBar() {
  const me = useSessionStore((s) => s.me);
  const signOut = useSessionStore((s) => s.signOut);
  const [kindSegment, id] = useRouteSegments();
  const kind = parseKind(kindSegment);

  return (
    <header className="topbar">
      <a
        className="brand"
        href="/"
        onClick={(event) => {
          event.preventDefault();
          navigate('/routing');
        }}
      >
        <img src="/favicon.svg" alt="" width={24} height={24} />
        <span>Orderloom</span>
        <span className="brand-sub">Designer</span>
      </a>
      <div className="topbar-center">
        {kind && id ? <DefinitionEnvironments kind={kind} id={id} /> : null}
      </div>
      {me ? (
        <div className="topbar-user">
          <span className="user-name" title={`Key id ${me.id}`}>
            {me.name}
          </span>
          <span className={`role-pill role-${me.role}`} data-testid="role">
            {me.role}
          </span>
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            onClick={() => {
              const { buffers, clearAll } = useEditorStore.getState();
              const unsaved = Object.values(buffers).filter(isDirty).length;
              const message = `You have unsaved changes in ${unsaved} draft${unsaved === 1 ? '' : 's'}. Sign out and discard them?`;
              if (unsaved > 0 && !window.confirm(message)) return;
              clearAll();
              signOut();
              navigate('/', { replace: true });
            }}
          >
            <Icon name="logout" /> Sign out
          </button>
        </div>
      ) : null}
    </header>
  );
}
