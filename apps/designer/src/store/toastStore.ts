import { create } from 'zustand';

/** A transient notification. */
export interface Toast {
  id: number;
  tone: 'success' | 'error' | 'info';
  title: string;
  detail?: string;
}

export interface ToastState {
  toasts: Toast[];
  push: (toast: Omit<Toast, 'id'>) => number;
  dismiss: (id: number) => void;
}

let nextId = 1;

/** Toast slice; the Toasts component removes each toast after a few seconds. */
export const useToastStore = create<ToastState>()((set) => ({
  toasts: [],
  push: (toast) => {
    const id = nextId++;
    set((state) => ({ toasts: [...state.toasts.slice(-4), { ...toast, id }] }));
    return id;
  },
  dismiss: (id) => set((state) => ({ toasts: state.toasts.filter((t) => t.id !== id) })),
}));

/** Shorthand used by mutations and pages. */
export const toast = {
  success: (title: string, detail?: string) =>
    useToastStore
      .getState()
      .push(detail === undefined ? { tone: 'success', title } : { tone: 'success', title, detail }),
  error: (title: string, detail?: string) =>
    useToastStore
      .getState()
      .push(detail === undefined ? { tone: 'error', title } : { tone: 'error', title, detail }),
  info: (title: string, detail?: string) =>
    useToastStore
      .getState()
      .push(detail === undefined ? { tone: 'info', title } : { tone: 'info', title, detail }),
};
