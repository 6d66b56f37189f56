import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { LocalCall, LocalServices } from '../../../platform/http/index.js';
import { Counter, Histogram, type Registry } from '../../../platform/metrics/index.js';
import { clientKey, IdError, parseClient, type ClientId } from '../ids.js';
import type { LogEntry } from '../log/record.js';
import type { MessageLog } from '../log/writer.js';
import { hashCredential } from '../registry/credentials.js';
import type { Registry as ExchangeRegistry } from '../registry/registry.js';
import type { Credential, RegistrySnapshot } from '../registry/snapshot.js';
import {
  accessDenied,
  authFailed,
  badClient,
  GatewayError,
  identityMismatch,
  internalError,
  logUnavailable,
  rateLimited,
  refusedByPolicy,
  sendGatewayError,
  unknownInstance,
  unknownService,
} from './errors.js';
import { forward } from './forward.js';
import { clientHeaderList, headerOf, providerHeaders } from './headers.js';
import type { RateLimiter } from './limits.js';
import { allowedMethods, getOpenApi, listClients, listMethods } from './metaservices.js';
import type { Pools } from './pools.js';
import { METASERVICES, parseTarget, type Target } from './target.js';

export interface GatewayDeps {
  registry: ExchangeRegistry;
  log: MessageLog;
  limiter: RateLimiter;
  pools: Pools;
  metrics: Registry;
  /** In-process services, for services registered at `local:NAME`. */
  local: LocalServices;
}

const ID_RE = /^[\x21-\x7e]{1,200}$/;
const CONNECT_TIMEOUT_MS = 5000;

/** The caller's credential: a client certificate (mutual TLS) or a bearer token. */
function credentialOf(req: IncomingMessage, snap: RegistrySnapshot): Credential | undefined {
  const sock = req.socket as TLSSocket;
  if (sock.encrypted) {
    const cert = sock.getPeerCertificate();
    if (cert?.fingerprint256) {
      const c = snap.credentials.get(`cert:${cert.fingerprint256.replaceAll(':', '').toLowerCase()}`);
      if (c) return c;
    }
  }
  const h = req.headers.authorization;
  if (!h) return undefined;
  const token = h.startsWith('Bearer ') ? h.slice(7).trim() : h.replace(/^bearer\s+/i, '').trim();
  return snap.credentialOfToken(token, hashCredential);
}

function json(res: ServerResponse, headers: Record<string, string>, body: unknown, type = 'application/json; charset=utf-8'): number {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(200, { ...headers, 'content-type': type, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
  return 200;
}

/**
 * The X-Road REST message protocol at `/r1/`: the caller's credential must belong to the client
 * it names in `X-Road-Client`; a local service is called when an access right covers the client,
 * method and path (deny by default); a service of another instance goes to that instance's
 * gateway, which applies its own rights. Every exchange is a message-log record (before the
 * response for services that require it, otherwise written in the background).
 */
export function gatewayHandler(deps: GatewayDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const calls = new Counter({
    name: 'tinhso_exchange_calls_total',
    help: 'Calls through the exchange gateway',
    labelNames: ['service', 'status'],
    registers: [deps.metrics],
  });
  const latency = new Histogram({
    name: 'tinhso_exchange_duration_seconds',
    help: 'Time from request to the end of the response, through the gateway',
    labelNames: ['service'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [deps.metrics],
  });

  return (req, res) => {
    void handle(req, res).catch(() => res.destroy());
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const t0 = performance.now();
    // Calls that arrive before the module's start (the server listens first) wait for the first load.
    if (deps.registry.current.version < 0) await deps.registry.refresh(true);
    let snap = deps.registry.current;
    const lang = /^\s*en/i.test(req.headers['accept-language'] ?? '') ? 'en' : 'vi';
    const given = headerOf(req.headers, 'x-road-id');
    const messageId = given && ID_RE.test(given) ? given : crypto.randomUUID();
    const requestId = crypto.randomUUID();
    const clientText = headerOf(req.headers, 'x-road-client');
    const entry: LogEntry = {
      message_id: messageId,
      request_id: requestId,
      client: null,
      service: null,
      method: req.method ?? 'GET',
      path: (req.url ?? '').split('?')[0]!.slice(0, 2000),
      user_id: headerOf(req.headers, 'x-road-userid')?.slice(0, 200) ?? null,
      issue: headerOf(req.headers, 'x-road-issue')?.slice(0, 200) ?? null,
      status: 0,
      error: null,
      duration_ms: 0,
      bytes_in: 0,
      bytes_out: null,
      request_hash: null,
      request_body_sha256: null,
      response_body_sha256: null,
    };
    const xroad: Record<string, string> = { 'x-road-id': messageId, 'x-road-request-id': requestId };
    let logged = false;
    try {
      const target = parseTarget(req.url ?? '/r1/');
      if (target.kind === 'service') {
        entry.service = target.key;
        entry.path = target.path;
      }
      let client: ClientId;
      try {
        if (!clientText) throw new IdError('X-Road-Client', '');
        client = parseClient(clientText);
      } catch (e) {
        if (!(e instanceof IdError)) throw e;
        throw badClient(
          `Thiếu hoặc sai tiêu đề X-Road-Client (INSTANCE/CLASS/MEMBER[/SUBSYSTEM]): ${e.message}.`,
          `The X-Road-Client header is missing or malformed (INSTANCE/CLASS/MEMBER[/SUBSYSTEM]): ${e.message}.`,
        );
      }
      const cKey = clientKey(client);
      entry.client = cKey;
      xroad['x-road-client'] = clientText!;
      if (target.kind === 'service') xroad['x-road-service'] = target.key;
      let cred = credentialOf(req, snap);
      // A credential issued a moment ago (on any instance): look again once the registry is reloaded.
      if (!cred && (await deps.registry.refreshSoon())) {
        snap = deps.registry.current;
        cred = credentialOf(req, snap);
      }
      if (!cred) throw authFailed('Thiếu hoặc sai thông tin xác thực của bên gọi.', 'The client credential is missing or not valid.');
      if (cred.kind === 'peer' ? client.instance !== cred.peerInstance || client.instance === snap.instance : cred.client !== cKey)
        throw identityMismatch(`Thông tin xác thực không thuộc về ${cKey}.`, `The credential does not belong to ${cKey}.`);
      if (target.kind === 'listClients') {
        entry.status = json(res, xroad, listClients(snap));
        return;
      }
      if (target.service.instance !== snap.instance) {
        entry.status = await toUpstream(req, res, snap, target, cred, cKey, clientText!, entry, xroad);
        return;
      }
      const meta = target.service.serviceCode;
      if (METASERVICES.has(meta) && !snap.services.has(target.key)) {
        const provider = target.service;
        if (meta === 'listMethods') entry.status = json(res, xroad, listMethods(snap, provider));
        else if (meta === 'allowedMethods') entry.status = json(res, xroad, allowedMethods(snap, provider, cKey));
        else {
          const code = new URLSearchParams(target.query.slice(1)).get('serviceCode');
          const api = getOpenApi(snap, provider, code);
          entry.status = json(res, xroad, api.body, api.type);
        }
        return;
      }
      const svc = snap.services.get(target.key);
      if (!svc) throw unknownService(`Không có dịch vụ ${target.key}.`, `No service ${target.key}.`);
      if (!snap.allowed(svc.key, cKey, entry.method, target.path))
        throw accessDenied(
          `${cKey} không có quyền gọi ${entry.method} ${target.path} của dịch vụ ${svc.key}.`,
          `${cKey} may not call ${entry.method} ${target.path} of service ${svc.key}.`,
        );
      if (limited(snap, cKey)) await admit(snap, cKey);
      if (svc.url.protocol === 'local:') {
        entry.status = await toLocal(req, res, svc.url.pathname, { client: cKey, service: svc.key, path: target.path, query: target.query, messageId }, xroad);
        return;
      }
      const pool = deps.pools.of(svc.url, Math.min(CONNECT_TIMEOUT_MS, svc.timeoutMs));
      if (!pool) throw refusedByPolicy();
      const base = svc.url.pathname.replace(/\/$/, '');
      const out = await forward(req, res, {
        pool,
        path: (base + target.rest || '/') + target.query,
        headers: providerHeaders(req.headers, xroad),
        timeoutMs: svc.timeoutMs,
        hashPrefix: hashPrefix(entry.method, target.raw, clientText!, messageId),
        captureBodies: svc.logBodies,
        responseHeaders: (raw, hash) => clientHeaderList(raw, { ...xroad, 'x-road-request-hash': hash }, false),
        beforeRelease: svc.durableLog
          ? async (status, hash, bytesIn) => {
              Object.assign(entry, { status, request_hash: hash, bytes_in: bytesIn, duration_ms: performance.now() - t0 });
              logged = true;
              await deps.log.append(entry, undefined, true).catch(() => {
                throw logUnavailable(
                  'Không ghi được nhật ký giao dịch; yêu cầu không được chuyển tiếp.',
                  'The message log cannot be written; the response is withheld.',
                );
              });
            }
          : undefined,
      });
      Object.assign(entry, {
        status: out.status,
        bytes_in: out.bytesIn,
        bytes_out: out.bytesOut,
        request_hash: out.requestHash,
        request_body_sha256: out.requestSha256,
        response_body_sha256: out.responseSha256,
      });
      if (svc.logBodies) {
        const bodies = { request: out.requestBody, response: out.responseBody, retentionDays: svc.bodyRetentionDays };
        if (logged) void deps.log.attachBodies(messageId, bodies).catch(() => undefined);
        else {
          logged = true;
          entry.duration_ms = performance.now() - t0;
          void deps.log.append(entry, bodies);
        }
      }
    } catch (e) {
      const ge = e instanceof GatewayError ? e : internalError('Lỗi nội bộ của cổng trao đổi.', 'Internal error of the exchange gateway.');
      if (res.headersSent) {
        entry.error = `${ge.type}: response interrupted`;
        res.destroy();
      } else {
        entry.status = ge.status;
        entry.error = ge.type;
        sendGatewayError(res, ge, lang, xroad, requestId);
      }
    } finally {
      const ms = performance.now() - t0;
      if (!logged) {
        entry.duration_ms = ms;
        void deps.log.append(entry);
      }
      const label = entry.service ?? 'unknown';
      calls.inc({ service: label, status: String(entry.status) });
      latency.observe({ service: label }, ms / 1000);
    }
  }

  function limited(snap: RegistrySnapshot, cKey: string): boolean {
    const c = snap.clients.get(cKey);
    return !!c && (c.ratePerMinute !== null || c.quotaPerDay !== null);
  }

  async function admit(snap: RegistrySnapshot, cKey: string): Promise<void> {
    const c = snap.clients.get(cKey);
    if (!c) return;
    const r = await deps.limiter.take(cKey, c.ratePerMinute, c.quotaPerDay);
    if (!r.ok)
      throw rateLimited(
        r.kind === 'minute' ? `Vượt giới hạn ${c.ratePerMinute} lượt gọi mỗi phút.` : `Vượt hạn mức ${c.quotaPerDay} lượt gọi mỗi ngày.`,
        r.kind === 'minute' ? `More than ${c.ratePerMinute} calls per minute.` : `More than the quota of ${c.quotaPerDay} calls per day.`,
        r.retryAfter,
      );
  }

  /**
   * A service a module of this instance offers in-process (`local:NAME`): its handler gets the
   * request with the verified client (the X-Road headers set by the gateway, whatever the caller
   * sent) and answers it directly — no network hop between the gateway and its provider.
   */
  async function toLocal(req: IncomingMessage, res: ServerResponse, name: string, call: LocalCall, xroad: Record<string, string>): Promise<number> {
    const handler = deps.local.get(name);
    if (!handler) throw unknownService(`Dịch vụ nội bộ ${name} không chạy trên hệ thống này.`, `The in-process service ${name} is not running here.`);
    Object.assign(req.headers, xroad);
    for (const [k, v] of Object.entries(xroad)) res.setHeader(k, v);
    await handler(req, res, call);
    if (!res.writableFinished) await new Promise((r) => res.once('close', r));
    return res.statusCode;
  }

  /** A service of another instance: through that instance's gateway, under its access rights. */
  async function toUpstream(
    req: IncomingMessage,
    res: ServerResponse,
    snap: RegistrySnapshot,
    target: Extract<Target, { kind: 'service' }>,
    cred: Credential,
    cKey: string,
    clientText: string,
    entry: LogEntry,
    xroad: Record<string, string>,
  ): Promise<number> {
    // A peer's call is answered here or not at all: no transit (no loops between instances).
    if (cred.kind === 'peer') throw accessDenied('Không chuyển tiếp cuộc gọi của hệ thống khác.', 'Calls from another instance are not passed on.');
    const up = snap.upstreams.get(target.service.instance);
    if (!up) throw unknownInstance(`Không có kết nối tới hệ thống ${target.service.instance}.`, `No connection to instance ${target.service.instance}.`);
    if (limited(snap, cKey)) await admit(snap, cKey);
    const pool = deps.pools.of(up.url, CONNECT_TIMEOUT_MS);
    if (!pool) throw refusedByPolicy();
    const base = up.url.pathname.replace(/\/$/, '');
    const out = await forward(req, res, {
      pool,
      path: base + target.raw,
      headers: providerHeaders(req.headers, { 'x-road-client': clientText, 'x-road-id': entry.message_id, authorization: `Bearer ${up.token}` }),
      timeoutMs: 60_000,
      hashPrefix: hashPrefix(entry.method, target.raw, clientText, entry.message_id),
      captureBodies: false,
      responseHeaders: (raw, hash) => clientHeaderList(raw, { ...xroad, 'x-road-request-hash': hash }, true),
    });
    Object.assign(entry, { bytes_in: out.bytesIn, bytes_out: out.bytesOut, request_hash: out.requestHash });
    return out.status;
  }
}

/** What the request hash covers before the body (docs/exchange.md). */
const hashPrefix = (method: string, raw: string, client: string, id: string) => `${method} ${raw}\nx-road-client: ${client}\nx-road-id: ${id}\n\n`;
