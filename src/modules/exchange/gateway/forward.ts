import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Transform } from 'node:stream';
import type { Pool } from 'undici';
import { networkError, refusedByPolicy, timeoutError } from './errors.js';

/** The largest body kept in the message log when a service's policy keeps bodies. */
export const MAX_LOGGED_BODY = 1024 * 1024;

export interface ForwardResult {
  status: number;
  bytesIn: number;
  bytesOut: number;
  requestHash: string;
  requestBody: Buffer | null;
  responseBody: Buffer | null;
  requestSha256: string | null;
  responseSha256: string | null;
}

export interface ForwardOptions {
  pool: Pool;
  path: string;
  headers: Record<string, string | string[]>;
  timeoutMs: number;
  /** What the request hash covers before the body (method, service path, client, message id). */
  hashPrefix: string;
  captureBodies: boolean;
  /** The response's header list for the client (flat name, value, …), from the provider's raw headers. */
  responseHeaders(raw: Buffer[], requestHash: string): string[];
  /** Awaited after the provider answered, before anything is sent to the client (a durable log record). */
  beforeRelease?: (status: number, requestHash: string, bytesIn: number) => Promise<void>;
}

class Capture {
  private parts: Buffer[] = [];
  private size = 0;
  private hash = crypto.createHash('sha256');
  add(chunk: Buffer) {
    this.hash.update(chunk);
    if (this.size < MAX_LOGGED_BODY) {
      const part = chunk.subarray(0, MAX_LOGGED_BODY - this.size);
      this.parts.push(Buffer.from(part));
      this.size += part.length;
    }
  }
  body = () => Buffer.concat(this.parts);
  digest = () => this.hash.digest('hex');
}

const hasBody = (req: IncomingMessage) => {
  const len = req.headers['content-length'];
  return len !== undefined ? len !== '0' : req.headers['transfer-encoding'] !== undefined;
};

/**
 * One call to a provider: the request body streamed through (hashed on the way, never held), the
 * response written to the client chunk by chunk with backpressure (undici's dispatcher handler:
 * no response stream, promise or abort signal per call — they cost more than the proxying);
 * redirects not followed; the provider's status, headers (but hop-by-hop) and body passed as they
 * are. Connect and read timeouts give a platform error; a client that goes away aborts the call.
 */
export function forward(req: IncomingMessage, res: ServerResponse, o: ForwardOptions): Promise<ForwardResult> {
  const hash = crypto.createHash('sha512').update(o.hashPrefix);
  let hashed: string | undefined;
  const requestHash = () => (hashed ??= hash.digest('base64'));
  let bytesIn = 0;
  const reqCapture = o.captureBodies ? new Capture() : null;
  let body: Transform | null = null;
  if (hasBody(req)) {
    body = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        bytesIn += chunk.length;
        if (hashed === undefined) hash.update(chunk);
        reqCapture?.add(chunk);
        cb(null, chunk);
      },
    });
    req.pipe(body);
    req.once('error', (e) => body?.destroy(e));
  }
  const resCapture = o.captureBodies ? new Capture() : null;
  return new Promise<ForwardResult>((resolve, reject) => {
    let abort: ((e?: Error) => void) | undefined;
    let status = 0;
    let bytesOut = 0;
    let released = false;
    let settled = false;
    let resumeProvider: () => void = () => undefined;
    const done = (e?: unknown) => {
      if (settled) return;
      settled = true;
      res.off('close', onClose);
      if (e) return reject(e);
      resolve({
        status,
        bytesIn,
        bytesOut,
        requestHash: requestHash(),
        requestBody: reqCapture?.body() ?? null,
        responseBody: resCapture?.body() ?? null,
        requestSha256: reqCapture?.digest() ?? null,
        responseSha256: resCapture?.digest() ?? null,
      });
    };
    const onClose = () => {
      if (!res.writableFinished) {
        abort?.(new Error('client gone'));
        done(new Error('client gone'));
      }
    };
    res.once('close', onClose);
    o.pool.dispatch({ path: o.path, method: req.method as 'GET', headers: o.headers, body, headersTimeout: o.timeoutMs, bodyTimeout: o.timeoutMs }, {
      onConnect: (a: (e?: Error) => void) => {
        abort = a;
      },
      onHeaders: (statusCode: number, raw: Buffer[], resume: () => void) => {
        status = statusCode;
        resumeProvider = resume;
        const rh = requestHash();
        const release = () => {
          res.writeHead(statusCode, o.responseHeaders(raw, rh));
          released = true;
        };
        if (!o.beforeRelease) {
          release();
          return true;
        }
        o.beforeRelease(statusCode, rh, bytesIn).then(
          () => {
            release();
            resume();
          },
          (e: unknown) => {
            abort?.(e as Error);
            done(e);
          },
        );
        return false;
      },
      onData: (chunk: Buffer) => {
        bytesOut += chunk.length;
        resCapture?.add(chunk);
        if (res.write(chunk)) return true;
        // A client that reads slowly pauses the provider until its socket drains.
        res.once('drain', resumeProvider);
        return false;
      },
      onComplete: () => {
        res.end();
        done();
      },
      onError: (e: Error) => {
        if (released) {
          res.destroy(e);
          done(e);
        } else done(providerError(e, o.timeoutMs));
      },
    } as never);
  });
}

function providerError(e: unknown, timeoutMs: number) {
  const code = (e as { code?: string }).code ?? '';
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT')
    return timeoutError(`Dịch vụ không trả lời trong ${timeoutMs} ms.`, `The service did not answer within ${timeoutMs} ms.`);
  if (code === 'EREFUSED_INTERNAL') return refusedByPolicy();
  return networkError(`Không kết nối được tới dịch vụ (${code || 'lỗi mạng'}).`, `Cannot reach the service (${code || 'network error'}).`);
}
