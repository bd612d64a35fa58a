import { Suspense, useEffect } from 'react';
import { useMe } from './api/useMe.ts';
import { ErrorBoundary } from './components/ErrorBoundary.tsx';
import { preloadMonaco } from './components/LazyMonaco.tsx';
import { SideNav } from './components/SideNav.tsx';
import { Toasts } from './components/Toasts.tsx';
import { TopBar } from './components/TopBar.tsx';
import { DefinitionListPage } from './features/definitions/DefinitionListPage.tsx';
import { DefinitionPage } from './features/definitions/DefinitionPage.tsx';
import { parseKind } from './features/kindRegistry.ts';
import { isOperationsSegment, LazyOperationsRoutes } from './features/operations/operationsNav.ts';
import { SignInPage } from './features/session/SignInPage.tsx';
import { navigate, useRouteSegments } from './lib/router.ts';
import { useSessionStore } from './store/sessionStore.ts';

function Routes() {
  const segments = useRouteSegments();
  const [kindSegment, id, ...rest] = segments;
  const kind = parseKind(kindSegment);
  const operations = isOperationsSegment(kindSegment);

  useEffect(() => {
    if (!kind && !operations) navigate('/routing', { replace: true });
  }, [kind, operations]);

  if (operations) {
    return (
      <Suspense
        fallback={<div className="table-skeleton page" role="status" aria-busy="true" aria-label="Loading" />}
      >
        <LazyOperationsRoutes segments={segments} />
      </Suspense>
    );
  }
  if (!kind || rest.length > 0) return null;
  if (id) return <DefinitionPage key={`${kind}/${id}`} kind={kind} id={id} />;
  return <DefinitionListPage kind={kind} />;
}

function Shell() {
  const me = useMe();
  const signIn = useSessionStore((s) => s.signIn);
  const apiKey = useSessionStore((s) => s.apiKey);

  // Keep the stored role in step with the runtime (a key's role can change between visits).
  useEffect(() => {
    if (me.data && apiKey) signIn(apiKey, me.data);
  }, [me.data, apiKey, signIn]);

  useEffect(() => preloadMonaco(), []);
  const route = useRouteSegments().join('/');

  return (
    <div className="app">
      <TopBar />
      <div className="app-body">
        <SideNav />
        <main className="app-main">
          <ErrorBoundary resetKey={route}>
            <Routes />
          </ErrorBoundary>
        </main>
      </div>
    </div>
  );
}

/** Sign-in until a key is verified, then the designer shell. */
export function App() {
  const apiKey = useSessionStore((s) => s.apiKey);
  return (
    <>
      {apiKey ? <Shell /> : <SignInPage />}
      <Toasts />
    </>
  );
}
