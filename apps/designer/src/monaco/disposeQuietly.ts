/**
 * Disposes monaco objects in an effect cleanup. Monaco may rethrow from `dispose()` an earlier failure
 * of a lazily created widget whose services were already disposed; a throw escaping a React cleanup
 * would unmount the whole app, so a failed disposal is only reported as a warning.
 */
export function disposeQuietly(...items: ({ dispose(): void } | null | undefined)[]): void {
  for (const item of items) {
    try {
      item?.dispose();
    } catch (error) {
      console.warn('A monaco editor failed to dispose cleanly', error);
    }
  }
}
