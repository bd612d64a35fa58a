import { useDefinitions } from '../api/useDefinitions.ts';
import { kindDescriptors } from '../features/kindRegistry.ts';
import { operationsSections } from '../features/operations/operationsNav.ts';
import { navigate, useRouteSegments } from '../lib/router.ts';
import { Icon } from './Icon.tsx';

/** The four kinds with their counts, then the operations views. */
export function SideNav() {
  const [current] = useRouteSegments();
  const { data } = useDefinitions();
  return (
    <nav className="sidenav" aria-label="Main">
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
      <div className="sidenav-title">Operations</div>
      <ul aria-label="Operations">
        {operationsSections.map((section) => {
          const active = current === section.segment;
          return (
            <li key={section.segment}>
              <a
                href={`/${section.segment}`}
                className={active ? 'active' : undefined}
                aria-current={active ? 'page' : undefined}
                onClick={(event) => {
                  event.preventDefault();
                  navigate(`/${section.segment}`);
                }}
              >
                <Icon path={section.iconPath} size={18} />
                <span className="sidenav-label">{section.label}</span>
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
