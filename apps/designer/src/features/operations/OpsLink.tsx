import type { ReactNode } from 'react';
import { navigate } from '../../lib/router.ts';

/** An in-app link: a real `<a href>` (keyboard, middle-click) that navigates without reloading. */
export function OpsLink({
  href,
  children,
  className,
}: {
  href: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    <a
      href={href}
      className={className}
      onClick={(event) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        event.stopPropagation();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}

/** Paths of the operations views. */
export const opsHref = {
  decisions: () => '/decisions',
  decision: (id: string) => `/decisions/${encodeURIComponent(id)}`,
  orders: () => '/orders',
  order: (id: string) => `/orders/${encodeURIComponent(id)}`,
  alerts: () => '/alerts',
  subscriptions: () => '/subscriptions',
  subscription: (id: string) => `/subscriptions/${encodeURIComponent(id)}`,
};
