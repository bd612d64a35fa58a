import { Button } from '../../components/Button.tsx';
import { Icon } from '../../components/Icon.tsx';
import { useHistoryAvailability } from '../../store/historyStore.ts';

const redoPath = 'M15 14l5-5-5-5M20 9H9a5 5 0 0 0 0 10h3';
const mac = typeof navigator !== 'undefined' && navigator.platform.startsWith('Mac');

/** Undo and redo of a buffer's edits, with the shortcuts in their tooltips. */
export function UndoRedoButtons({
  bufferKey,
  onUndo,
  onRedo,
}: {
  bufferKey: string;
  onUndo: () => void;
  onRedo: () => void;
}) {
  const { canUndo, canRedo } = useHistoryAvailability(bufferKey);
  const undoKeys = mac ? '⌘Z' : 'Ctrl+Z';
  const redoKeys = mac ? '⇧⌘Z' : 'Ctrl+Shift+Z or Ctrl+Y';
  return (
    <div className="history-buttons">
      <span
        className="tooltip-wrap tooltip-below"
        data-tooltip={canUndo ? `Undo (${undoKeys})` : `Nothing to undo (${undoKeys})`}
      >
        <Button
          size="sm"
          variant="ghost"
          icon="undo"
          aria-label="Undo"
          aria-keyshortcuts={mac ? 'Meta+Z' : 'Control+Z'}
          disabled={!canUndo}
          onClick={onUndo}
          data-testid="undo"
        />
      </span>
      <span
        className="tooltip-wrap tooltip-below"
        data-tooltip={canRedo ? `Redo (${redoKeys})` : `Nothing to redo (${redoKeys})`}
      >
        <Button
          size="sm"
          variant="ghost"
          aria-label="Redo"
          aria-keyshortcuts={mac ? 'Meta+Shift+Z' : 'Control+Shift+Z Control+Y'}
          disabled={!canRedo}
          onClick={onRedo}
          data-testid="redo"
        >
          <Icon path={redoPath} />
        </Button>
      </span>
    </div>
  );
}
