import { type ButtonHTMLAttributes, type ReactNode, useId } from 'react';
import { Icon, type IconName } from './Icon.tsx';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: 'primary' | 'secondary' | 'ghost' | 'danger';
  size?: 'sm' | 'md';
  icon?: IconName;
  busy?: boolean;
  /** When set, the button is disabled and this sentence explains why (tooltip + screen readers). */
  disabledReason?: string | null;
  children?: ReactNode;
}

/** The one button of the designer. */
export function Button(props: ButtonProps) {
  const {
    variant = 'secondary',
    size = 'md',
    icon,
    busy,
    disabledReason,
    children,
    className,
    ...rest
  } = props;
  const reasonId = useId();
  const disabled = Boolean(rest.disabled || busy || disabledReason);
  const button = (
    <button
      type="button"
      {...rest}
      disabled={disabled}
      aria-busy={busy || undefined}
      aria-describedby={disabledReason ? reasonId : rest['aria-describedby']}
      className={['btn', `btn-${variant}`, `btn-${size}`, className].filter(Boolean).join(' ')}
    >
      {busy ? <span className="spinner" aria-hidden /> : icon ? <Icon name={icon} /> : null}
      {children}
    </button>
  );
  if (!disabledReason) return button;
  // Disabled buttons get no pointer events, so the tooltip hangs on a wrapper.
  return (
    <span className="tooltip-wrap" data-tooltip={disabledReason}>
      {button}
      <span id={reasonId} className="visually-hidden">
        {disabledReason}
      </span>
    </span>
  );
}
