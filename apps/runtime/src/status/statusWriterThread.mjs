// Entry of the status writer thread. Plain JavaScript, so it starts whatever the parent runs under
// (tsx, vitest); it loads the TypeScript worker through tsx's scoped loader.
import { tsImport } from 'tsx/esm/api';

await tsImport('./statusWriterThreadMain.ts', import.meta.url);
