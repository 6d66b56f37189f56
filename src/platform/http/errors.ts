import type { Msg } from '../i18n/index.js';

/**
 * The only error type routes and services throw on purpose. `code` is stable and machine-readable;
 * `message` is shown to people in their language; `field` names the offending input.
 */
export class AppError extends Error {
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

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
