import { create } from 'zustand';
import type { DictionaryImportResult } from './systemsModel.ts';

/** Which tab the status-graph side panel shows. */
export type SidePanelTab = 'inspector' | 'systems';

export interface SystemsPanelState {
  /** The side panel's tab per buffer key; `systems` keeps the panel open even with nothing selected. */
  tabs: Record<string, SidePanelTab>;
  /** The code row a conflict link pointed at (`<system>:<code>`), highlighted and scrolled to. */
  focusedCodes: Record<string, string | null>;
  /** Bumped on every focus request, so pointing at the same row twice scrolls again. */
  focusRequests: Record<string, number>;
  /** The last dictionary import's result per buffer key, kept while the analyst follows its links. */
  imports: Record<string, DictionaryImportResult | undefined>;
  showTab: (key: string, tab: SidePanelTab) => void;
  /** Opens the systems tab and points at one code row. */
  focusCode: (key: string, nodeId: string) => void;
  setImport: (key: string, result: DictionaryImportResult | undefined) => void;
}

/** UI slice of the status graph's side panel: its tab, the focused code row, the last import's report. */
export const useSystemsPanelStore = create<SystemsPanelState>()((set) => ({
  tabs: {},
  focusedCodes: {},
  focusRequests: {},
  imports: {},
  showTab: (key, tab) =>
    set((state) => (state.tabs[key] === tab ? state : { tabs: { ...state.tabs, [key]: tab } })),
  focusCode: (key, nodeId) =>
    set((state) => ({
      tabs: { ...state.tabs, [key]: 'systems' },
      focusedCodes: { ...state.focusedCodes, [key]: nodeId },
      focusRequests: { ...state.focusRequests, [key]: (state.focusRequests[key] ?? 0) + 1 },
    })),
  setImport: (key, result) => set((state) => ({ imports: { ...state.imports, [key]: result } })),
}));
