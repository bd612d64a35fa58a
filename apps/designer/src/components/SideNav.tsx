import { useDefinitions } from '../api/useDefinitions.ts';
import { kindDescriptors } from '../features/kindRegistry.ts';
import { navigate, useRouteSegments } from '../lib/router.ts';
import { Icon } from './Icon.tsx';

/** The four kinds with their counts. */
export function SideNav() {
  const [current] = useRouteSegments();
  const { data } = useDefinitions();
  return (
    <nav className="sidenav" aria-label="Definition kinds">
      <div className="sidenav-title">Definitions</div>
      <ul>
        {kindDescriptors.map((descriptor) => {
          const count = data?.filter((d) => d.kind === descriptor.kind).length;
          const active = current === descriptor.kind;
          return (
            <li key={descriptor.kind}>
              <a
                href={`/${descriptor.kind}`}
                className={active ? 'active' : undefined}
                aria-current={active ? 'page' : undefined}
                onClick={(event) => {
                  event.preventDefault();
                  navigate(`/${descriptor.kind}`);
                }}
              >
                <Icon path={descriptor.iconPath} size={18} />
                <span className="sidenav-label">{descriptor.label}</span>
                <span className="count">
                  {count ?? '·'}
                  <span className="visually-hidden"> definitions</span>
                </span>
              </a>
            </li>
          );
        })}
      </ul>
      <div className="sidenav-footer">
        <a href="/api/docs" target="_blank" rel="noreferrer">
          API reference
        </a>
      </div>
    </nav>
  );
}
