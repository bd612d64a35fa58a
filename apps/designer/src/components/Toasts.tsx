import { useEffect } from 'react';
import { type Toast, useToastStore } from '../store/toastStore.ts';
import { Icon } from './Icon.tsx';

function ToastItem({ toast }: { toast: Toast }) {
  const dismiss = useToastStore((s) => s.dismiss);
  useEffect(() => {
    const timer = window.setTimeout(() => dismiss(toast.id), toast.tone === 'error' ? 9000 : 4500);
    return () => window.clearTimeout(timer);
  }, [toast.id, toast.tone, dismiss]);
  return (
    <div className={`toast toast-${toast.tone}`} role={toast.tone === 'error' ? 'alert' : 'status'}>
      <Icon
        name={toast.tone === 'success' ? 'check' : toast.tone === 'error' ? 'error' : 'info'}
        className={
          toast.tone === 'success' ? 'tone-success' : toast.tone === 'error' ? 'tone-danger' : 'tone-accent'
        }
      />
      <div className="toast-text">
        <strong>{toast.title}</strong>
        {toast.detail ? <span>{toast.detail}</span> : null}
      </div>
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => dismiss(toast.id)}>
        <Icon name="close" size={14} />
      </button>
    </div>
  );
}

/** Toast stack, bottom right. */
export function Toasts() {
  const toasts = useToastStore((s) => s.toasts);
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <ToastItem key={t.id} toast={t} />
      ))}
    </div>
  );
}
