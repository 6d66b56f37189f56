export { createHttpServer, type HttpOptions } from './server.js';
export {
  AppError,
  FieldErrors,
  type FieldError,
  badRequest,
  unauthorized,
  forbidden,
  notFound,
  conflict,
  tooLarge,
  unprocessable,
  serviceUnavailable,
  isAppError,
} from './errors.js';
export { errorHandler, toProblem, type Problem } from './error-handler.js';
export { html, raw, type Html } from './html.js';
export { SECURED, type App } from './types.js';
export { Type, type Static, type TSchema } from 'typebox';
export { findNul, nulError } from './nul-guard.js';
export { refuseDeclaredTooLarge } from './upload-limit.js';
export { untilClientGone } from './client-gone.js';
export { negotiate } from './negotiate.js';
export { RawRoutes, type RawRoute } from './raw-routes.js';
export { contentDisposition } from './content-disposition.js';
export { LocalServices, SelfAddress, type LocalCall, type LocalHandler } from './local-services.js';
