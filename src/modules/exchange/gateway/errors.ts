import crypto from 'node:crypto';
import type { ServerResponse } from 'node:http';

/**
 * An error the platform itself produces: header `X-Road-Error: <type>` and the JSON body
 * `{type, message, detail}` (detail: the request id, to find it in the message log). Provider
 * errors are never turned into these: they pass through unchanged.
 */
export class GatewayError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly vi: string,
    readonly en: string,
    readonly retryAfter?: number,
  ) {
    super(en);
  }
}

const E = (status: number, type: string) => (vi: string, en: string, retryAfter?: number) => new GatewayError(status, type, vi, en, retryAfter);
export const badRequest = E(400, 'Client.BadRequest');
export const badClient = E(400, 'Client.InvalidClientIdentifier');
export const badService = E(400, 'Client.InvalidServiceIdentifier');
export const authFailed = E(401, 'Server.ClientProxy.AuthenticationFailed');
export const identityMismatch = E(403, 'Server.ClientProxy.ClientIdentityMismatch');
export const accessDenied = E(403, 'Server.ServerProxy.AccessDenied');
export const unknownService = E(404, 'Server.ServerProxy.UnknownService');
export const unknownInstance = E(404, 'Server.ClientProxy.UnknownInstance');
export const rateLimited = E(429, 'Server.ClientProxy.RateLimitExceeded');
export const networkError = E(500, 'Server.ServerProxy.NetworkError');
export const timeoutError = E(500, 'Server.ServerProxy.Timeout');
export const logUnavailable = E(500, 'Server.ClientProxy.MessageLogUnavailable');
export const internalError = E(500, 'Server.ClientProxy.InternalError');
/** The provider's address is internal (by name or by DNS answer) and not in the operator's allow list. */
export const refusedByPolicy = () =>
  networkError(
    'Địa chỉ của dịch vụ là địa chỉ nội bộ chưa được người vận hành cho phép (TINHSO_OUTBOUND_ALLOW).',
    'The service address is internal and not allowed by the operator (TINHSO_OUTBOUND_ALLOW).',
  );

export function sendGatewayError(
  res: ServerResponse,
  e: GatewayError,
  lang: 'vi' | 'en',
  headers: Record<string, string>,
  detail: string = crypto.randomUUID(),
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ type: e.type, message: lang === 'en' ? e.en : e.vi, detail });
  res.writeHead(e.status, {
    ...headers,
    'x-road-error': e.type,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...(e.retryAfter ? { 'retry-after': String(e.retryAfter) } : {}),
  });
  res.end(body);
}
