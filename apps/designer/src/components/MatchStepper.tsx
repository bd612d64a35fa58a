import { Button } from './Button.tsx';

/** The previous / next buttons of a find box (Shift+Enter and Enter do the same from its input). */
export function MatchStepper({
  disabled,
  onStep,
}: {
  disabled: boolean;
  onStep: (direction: 1 | -1) => void;
}) {
  return (
    <>
      <Button
        size="sm"
        variant="ghost"
        aria-label="Previous match (Shift+Enter)"
        title="Previous match (Shift+Enter)"
        disabled={disabled}
        onClick={() => onStep(-1)}
      >
        ↑
      </Button>
      <Button
        size="sm"
        variant="ghost"
        aria-label="Next match (Enter)"
        title="Next match (Enter)"
        disabled={disabled}
        onClick={() => onStep(1)}
      >
        ↓
      </Button>
    </>
  );
}
