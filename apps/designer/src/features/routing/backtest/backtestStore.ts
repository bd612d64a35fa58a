import { create } from 'zustand';

/** The routing editor's side panel: the what-if or the backtests. */
export type RoutingSideTab = 'what-if' | 'backtest';

export interface BacktestState {
  /** Side panel tab per strategy id. */
  tabs: Record<string, RoutingSideTab>;
  /** The backtest shown per strategy id (the one just started, or one picked from the list). */
  shown: Record<string, string | null>;
  setTab: (strategy: string, tab: RoutingSideTab) => void;
  show: (strategy: string, backtestId: string | null) => void;
}

/** Backtest slice: which tab the strategy's side panel shows and which backtest is on screen. */
export const useBacktestStore = create<BacktestState>()((set) => ({
  tabs: {},
  shown: {},
  setTab: (strategy, tab) => set((state) => ({ tabs: { ...state.tabs, [strategy]: tab } })),
  show: (strategy, backtestId) => set((state) => ({ shown: { ...state.shown, [strategy]: backtestId } })),
}));
