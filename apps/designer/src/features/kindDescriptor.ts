import type { DefinitionKind } from '@orderloom/schema';

/**
 * What the shell needs to know about one kind of definition. Each feature folder exports one;
 * later issues add the kind's canvas here.
 */
export interface KindDescriptor {
  kind: DefinitionKind;
  /** Plural, for navigation ("Routing strategies"). */
  label: string;
  /** Singular, for buttons and headings ("Routing strategy"). */
  singular: string;
  /** One line shown above the list. */
  blurb: string;
  /** An SVG path (24×24 viewBox) for the navigation icon. */
  iconPath: string;
  /** A minimal definition of this kind that passes `validate()`, for "New definition". */
  skeleton: (id: string, name: string) => Record<string, unknown>;
}
