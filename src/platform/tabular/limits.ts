/** Thrown when a file asks for more work than a reader allows; the message says which limit. */
export class TabularLimitError extends Error {
  constructor(readonly limit: string) {
    super(`tabular file exceeds the ${limit} limit`);
  }
}

/** Bounds on the work one read may do, whatever the file claims about itself. */
export interface ReadLimits {
  /** Rows returned (after the header row, if any, counted as a row). */
  maxRows: number;
  /** Columns kept per row. */
  maxColumns: number;
  /** Bytes inflated from any one entry of a zip container (XLSX), so a zip bomb stops early. */
  maxInflatedBytes: number;
  /** Shared strings (XLSX) scanned to find the ones the rows use. */
  maxSharedStrings: number;
  /** Characters kept per cell. */
  maxCellChars: number;
  /** Stops the read (e.g. when the client that asked has gone). */
  signal?: AbortSignal | undefined;
}

export const PREVIEW_LIMITS: Omit<ReadLimits, 'maxRows'> = {
  maxColumns: 200,
  maxInflatedBytes: 64 * 1024 * 1024,
  maxSharedStrings: 1_000_000,
  maxCellChars: 10_000,
};

export function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new TabularLimitError('request (the client went away)');
}
