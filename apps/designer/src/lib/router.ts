import { useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

function getPathname(): string {
  return window.location.pathname;
}

/** Pushes a new path (history API; the runtime serves the SPA for any path). */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === window.location.pathname) return;
  if (options.replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  for (const listener of listeners) listener();
}

/** The current path's segments, decoded (`/routing/peak-season` → `['routing', 'peak-season']`). */
export function useRouteSegments(): string[] {
  const pathname = useSyncExternalStore(subscribe, getPathname);
  return pathname
    .split('/')
    .filter(Boolean)
    .map((segment) => decodeURIComponent(segment));
}

/** Path of a definition page. */
export function definitionHref(kind: string, id: string): string {
  return `/${encodeURIComponent(kind)}/${encodeURIComponent(id)}`;
}
