/** A Frictionless-style validation report (frictionless-py's shape: valid, stats, tasks with errors). */
export interface ReportError {
  type: 'type-error' | 'constraint-error' | 'extra-cell' | 'encoding-error' | 'blank-header' | 'duplicate-label' | 'source-error' | 'schema-error';
  title: string;
  message: string;
  rowNumber?: number;
  fieldName?: string;
  fieldNumber?: number;
  cell?: string;
  note?: string;
}

export interface ValidationReport {
  valid: boolean;
  stats: { errors: number; tasks: number; warnings: number };
  warnings: string[];
  errors: ReportError[];
  tasks: {
    name: string;
    type: 'table';
    valid: boolean;
    place: string;
    stats: { errors: number; rows: number; fields: number; bytes: number; md5?: string; sha256?: string };
    errors: ReportError[];
    warnings: string[];
  }[];
}

/** Errors kept in a report; the count goes on. */
export const MAX_REPORTED_ERRORS = 1000;

const TITLES: Record<ReportError['type'], string> = {
  'type-error': 'Type Error',
  'constraint-error': 'Constraint Error',
  'schema-error': 'Schema Error',
  'extra-cell': 'Extra Cell',
  'encoding-error': 'Encoding Error',
  'blank-header': 'Blank Header',
  'duplicate-label': 'Duplicate Label',
  'source-error': 'Source Error',
};

export class ReportBuilder {
  readonly errors: ReportError[] = [];
  count = 0;
  readonly warnings: string[] = [];

  add(e: Omit<ReportError, 'title'>): void {
    this.count++;
    if (this.errors.length < MAX_REPORTED_ERRORS) this.errors.push({ title: TITLES[e.type], ...e });
  }

  warn(message: string): void {
    this.warnings.push(message);
  }

  build(task: { name: string; place: string; rows: number; fields: number; bytes: number; sha256?: string }): ValidationReport {
    const valid = this.count === 0;
    const sorted = [...this.errors].sort((a, b) => (a.rowNumber ?? 0) - (b.rowNumber ?? 0) || (a.fieldNumber ?? 0) - (b.fieldNumber ?? 0));
    return {
      valid,
      stats: { errors: this.count, tasks: 1, warnings: this.warnings.length },
      warnings: [],
      errors: [],
      tasks: [
        {
          name: task.name,
          type: 'table',
          valid,
          place: task.place,
          stats: { errors: this.count, rows: task.rows, fields: task.fields, bytes: task.bytes, ...(task.sha256 ? { sha256: task.sha256 } : {}) },
          errors: sorted,
          warnings: this.warnings,
        },
      ],
    };
  }
}
