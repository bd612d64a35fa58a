// Entry of the decision thread. Plain JavaScript, so it starts whatever the parent runs under (tsx,
// vitest); it loads the TypeScript thread through tsx's scoped loader.
import { tsImport } from 'tsx/esm/api';

await tsImport('./decisionThreadMain.ts', import.meta.url);
