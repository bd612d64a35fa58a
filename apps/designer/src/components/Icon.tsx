/** Stroke icons used across the shell (24×24 paths). */
export const icons = {
  plus: 'M12 5v14M5 12h14',
  save: 'M5 4h11l3 3v13H5zM8 4v5h8V4M8 20v-6h8v6',
  check: 'M5 12l4 4 10-10',
  alert: 'M12 3l9 16H3zM12 10v4M12 17v.5',
  error: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM9 9l6 6M15 9l-6 6',
  info: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM12 11v6M12 7.5v.5',
  close: 'M6 6l12 12M18 6L6 18',
  tag: 'M3 12V4h8l10 10-8 8zM7.5 7.5v.5',
  upload: 'M12 16V4M7 9l5-5 5 5M4 20h16',
  rocket: 'M5 15c-1 1-2 5-2 5s4-1 5-2M9 15l-3-3 6-7c2-2 6-3 9-3 0 3-1 7-3 9zM15 9v.5',
  undo: 'M9 14L4 9l5-5M4 9h11a5 5 0 0 1 0 10h-3',
  logout: 'M15 4h4v16h-4M10 8l-4 4 4 4M6 12h10',
  key: 'M8 15a4 4 0 1 1 3.5-6h9.5v3h-2v3h-3v-3h-4.5A4 4 0 0 1 8 15z',
  lock: 'M6 11h12v9H6zM8 11V8a4 4 0 0 1 8 0v3',
  chevronRight: 'M9 6l6 6-6 6',
  diff: 'M6 4v10M3 7h6M15 17h6M18 4a2 2 0 1 0 0 4 2 2 0 0 0 0-4zM6 16a2 2 0 1 0 0 4 2 2 0 0 0 0-4zM18 8v6a3 3 0 0 1-3 3',
  file: 'M6 3h8l4 4v14H6zM14 3v4h4',
} as const;

export type IconName = keyof typeof icons;

/** An inline SVG icon; decorative unless `label` is given. */
export function Icon({
  name,
  path,
  size = 16,
  label,
  className,
}: {
  name?: IconName;
  path?: string;
  size?: number;
  label?: string;
  className?: string;
}) {
  const d = path ?? (name ? icons[name] : '');
  return (
    <svg
      className={className ? `icon ${className}` : 'icon'}
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      role={label ? 'img' : undefined}
      aria-label={label}
      aria-hidden={label ? undefined : true}
    >
      <path d={d} />
    </svg>
  );
}
