import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { Me } from '../api/types.ts';

/** The signed-in user: their API key (kept for this browser tab only) and who it belongs to. */
export interface SessionState {
  apiKey: string | null;
  me: Me | null;
  /** Set when the runtime rejected a stored key, so the sign-in screen can say why. */
  expiredNotice: string | null;
  signIn: (apiKey: string, me: Me) => void;
  signOut: () => void;
  expire: () => void;
}

/**
 * Session slice. The key lives in sessionStorage: it survives reloads of the tab but not closing it,
 * and is never written to localStorage.
 */
export const useSessionStore = create<SessionState>()(
  persist(
    (set) => ({
      apiKey: null,
      me: null,
      expiredNotice: null,
      signIn: (apiKey, me) => set({ apiKey, me, expiredNotice: null }),
      signOut: () => set({ apiKey: null, me: null, expiredNotice: null }),
      expire: () =>
        set({
          apiKey: null,
          me: null,
          expiredNotice: 'Your API key was rejected by the runtime. Sign in again.',
        }),
    }),
    {
      name: 'orderloom.session',
      storage: createJSONStorage(() => sessionStorage),
      partialize: (state) => ({ apiKey: state.apiKey, me: state.me }),
    },
  ),
);

/** True when the signed-in key may create versions and move environments. */
export function canPublish(me: Me | null): boolean {
  return me?.role === 'admin';
}

/** True when the signed-in key may save drafts. */
export function canEditDrafts(me: Me | null): boolean {
  return me?.role === 'admin' || me?.role === 'analyst';
}
