import { type DefinitionKind, type Report, validate } from '@orderloom/schema';
import { type ParseError, parse as parseJsonc, printParseErrorCode } from 'jsonc-parser';
import { lineColumnAt, locateReport, type TextRange } from './locateReport.ts';

/** A report placed in the editor text, ready for a marker and the problems panel. */
export interface PlacedReport extends Report {
  /** `syntax` for JSON syntax errors, `lint` for reports of the shared `validate()`. */
  source: 'syntax' | 'lint';
  range: TextRange;
  /** Where the report points, as an editor line/column (not the CEL line/column of `Report`). */
  editorLine: number;
  editorColumn: number;
}

/** Outcome of linting the editor text. */
export interface DraftLint {
  /** The parsed definition, or `undefined` when the text is not valid JSON. */
  value: unknown;
  reports: PlacedReport[];
}

function describeSyntaxError(error: ParseError): string {
  const words = printParseErrorCode(error.error)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return `JSON syntax: ${words}`;
}

/**
 * Parses the editor text and runs the same `validate()` the runtime runs, placing each report at its
 * JSON Pointer. Syntax errors stop validation (there is no definition to validate yet).
 */
export function lintDraft(kind: DefinitionKind, text: string): DraftLint {
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length > 0) {
    return {
      value: undefined,
      reports: errors.map((error) => {
        const at = lineColumnAt(text, error.offset);
        return {
          path: '',
          severity: 'error',
          message: describeSyntaxError(error),
          source: 'syntax',
          range: { start: error.offset, end: error.offset + Math.max(1, error.length) },
          editorLine: at.line,
          editorColumn: at.column,
        };
      }),
    };
  }

  const reports = validate(kind, value).map((report): PlacedReport => {
    const range = locateReport(text, report) ?? { start: 0, end: 1 };
    const at = lineColumnAt(text, range.start);
    return {
      ...report,
      source: 'lint',
      range,
      editorLine: at.line,
      editorColumn: at.column,
    };
  });
  reports.sort((a, b) =>
    a.severity === b.severity ? a.range.start - b.range.start : a.severity === 'error' ? -1 : 1,
  );
  return { value, reports };
}
