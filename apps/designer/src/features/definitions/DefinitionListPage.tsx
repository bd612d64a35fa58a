import type { DefinitionKind } from '@orderloom/schema';
import { useState } from 'react';
import { describeError } from '../../api/apiClient.ts';
import { useDefinitions } from '../../api/useDefinitions.ts';
import { Button } from '../../components/Button.tsx';
import { EnvironmentBadge } from '../../components/EnvironmentBadge.tsx';
import { Icon } from '../../components/Icon.tsx';
import { formatTime } from '../../lib/formatTime.ts';
import { definitionHref, navigate } from '../../lib/router.ts';
import { canEditDrafts, useSessionStore } from '../../store/sessionStore.ts';
import { describeKind } from '../kindRegistry.ts';
import { NewDefinitionDialog } from './NewDefinitionDialog.tsx';

/** All definitions of one kind. */
export function DefinitionListPage({ kind }: { kind: DefinitionKind }) {
  const descriptor = describeKind(kind);
  const me = useSessionStore((s) => s.me);
  const { data, isPending, error, refetch } = useDefinitions();
  const [creating, setCreating] = useState(false);
  const rows = data?.filter((d) => d.kind === kind) ?? [];

  return (
    <div className="page">
      <header className="page-header">
        <div className="page-title">
          <div className="kind-icon" aria-hidden>
            <Icon path={descriptor.iconPath} size={22} />
          </div>
          <div>
            <h1>{descriptor.label}</h1>
            <p className="muted">{descriptor.blurb}</p>
          </div>
        </div>
        <Button
          variant="primary"
          icon="plus"
          onClick={() => setCreating(true)}
          disabledReason={canEditDrafts(me) ? null : 'Service keys cannot create definitions.'}
        >
          New definition
        </Button>
      </header>

      {error ? (
        <div className="panel-message error" role="alert">
          <Icon name="error" /> Could not load definitions: {describeError(error)}{' '}
          <button type="button" className="link" onClick={() => void refetch()}>
            Retry
          </button>
        </div>
      ) : isPending ? (
        <div className="table-skeleton" aria-busy="true">
          <div />
          <div />
          <div />
        </div>
      ) : rows.length === 0 ? (
        <div className="empty-state">
          <Icon path={descriptor.iconPath} size={32} />
          <h2>No {descriptor.label.toLowerCase()} yet</h2>
          <p>Start from a minimal, valid skeleton and shape it in the editor.</p>
          <Button
            variant="primary"
            icon="plus"
            onClick={() => setCreating(true)}
            disabled={!canEditDrafts(me)}
          >
            New {descriptor.singular.toLowerCase()}
          </Button>
        </div>
      ) : (
        <table className="definitions-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Id</th>
              <th scope="col" className="num">
                Draft
              </th>
              <th scope="col" className="num">
                Latest version
              </th>
              <th scope="col">Environments</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const href = definitionHref(row.kind, row.id);
              const updated = row.updatedAt ? formatTime(row.updatedAt) : null;
              return (
                <tr key={row.id} onClick={() => navigate(href)}>
                  <td>
                    <a
                      href={href}
                      className="row-link"
                      onClick={(event) => {
                        event.preventDefault();
                        event.stopPropagation();
                        navigate(href);
                      }}
                    >
                      {row.name}
                    </a>
                  </td>
                  <td>
                    <code>{row.id}</code>
                  </td>
                  <td className="num">rev {row.draftRevision}</td>
                  <td className="num">{row.latestVersion === null ? '—' : `v${row.latestVersion}`}</td>
                  <td>
                    <div className="badge-row">
                      <EnvironmentBadge env="sandbox" version={row.environments.sandbox} compact />
                      <EnvironmentBadge env="production" version={row.environments.production} compact />
                    </div>
                  </td>
                  <td className="muted" title={updated?.exact}>
                    {updated?.label ?? '—'}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}

      {creating ? <NewDefinitionDialog kind={kind} onClose={() => setCreating(false)} /> : null}
    </div>
  );
}
