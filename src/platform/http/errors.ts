import type { Msg } from '../i18n/index.js';

/**
 * The only error type routes and services throw on purpose. `code` is stable and machine-readable;
 * `message` is shown to people in their language; `field` names the offending input.
 */
export class AppError extends Error {
  /** Every invalid field when validation found several (the first is also `field`/`msg`). */
  fieldErrors: FieldError[] = [];

  constructor(
    readonly status: number,
    readonly code: string,
    readonly msg: Msg,
    readonly field?: string,
    readonly params: Record<string, string | number> = {},
    readonly extra: Record<string, unknown> = {},
  ) {
    super(msg.en);
    this.name = 'AppError';
  }
}

export interface FieldError {
  field: string;
  code: string;
  msg: Msg;
  params: Record<string, string | number>;
}

/**
 * Collects the errors of one validation pass so that every invalid field is reported at once
 * (as CKAN does): `add` each problem (an AppError with a field), then `throwIfAny`.
 */
export class FieldErrors {
  private readonly list: AppError[] = [];

  add(e: AppError): void {
    if (!this.list.some((x) => x.field === e.field)) this.list.push(e);
  }

  /** Runs a check, keeping its AppError instead of throwing it. */
  check<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      if (!isAppError(e) || !e.field) throw e;
      this.add(e);
      return undefined;
    }
  }

  throwIfAny(): void {
    const [first] = this.list;
    if (!first) return;
    const e = new AppError(first.status, first.code, first.msg, first.field, first.params, first.extra);
    e.fieldErrors = this.list.map((x) => ({ field: x.field!, code: x.code, msg: x.msg, params: x.params }));
    throw e;
  }
}

type Factory = (code: string, msg: Msg, field?: string, params?: Record<string, string | number>) => AppError;
const make =
  (status: number): Factory =>
  (code, msg, field, params) =>
    new AppError(status, code, msg, field, params);

export const badRequest = make(400);
export const unauthorized = make(401);
export const forbidden = make(403);
export const notFound = make(404);
export const conflict = make(409);
export const tooLarge = make(413);
export const unprocessable = make(422);
export const serviceUnavailable = make(503);

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
