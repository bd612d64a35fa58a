import type { DefinitionKind, Report } from '@orderloom/schema';
import type { ComponentType } from 'react';

/** An element of a canvas (a node or an edge), by its kind-specific type and id. */
export interface CanvasSelection {
  type: string;
  id: string;
}

/** What the definition page hands a kind's canvas. The canvas edits the same buffer as the JSON view. */
export interface CanvasProps {
  /** Buffer key of the definition (for the canvas slice of the store). */
  bufferKey: string;
  /** The editor buffer: the draft's JSON text. */
  text: string;
  onChange: (text: string) => void;
  /** The value `reports` were computed on (lint is debounced, so it may lag `text`). */
  lintedValue: unknown;
  reports: readonly Report[];
  editable: boolean;
}

/** A kind's visual editor: a lazily loaded component and how a lint report maps onto its elements. */
export interface KindCanvas {
  component: ComponentType<CanvasProps>;
  /** The tab label of this view ("Canvas" when absent). */
  label?: string;
  /** The element a report is about, computed on the value the report was computed on. */
  locate: (lintedValue: unknown, report: Report) => CanvasSelection | null;
}

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
  /** The kind's canvas, shown by default next to a JSON view; kinds without one only have the JSON view. */
  canvas?: KindCanvas;
}
