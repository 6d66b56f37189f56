import multipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ANONYMOUS, type Principal } from '../../../platform/auth/index.js';
import { findNul, nulError, refuseDeclaredTooLarge, type App } from '../../../platform/http/index.js';
import type { ModuleContext } from '../../../platform/module.js';
import { safeFilename } from '../../../platform/storage/index.js';
import type { StoredUpload } from '../input.js';
import { builtinCkanActions, type ActionContext, type CkanActions } from './actions.js';
import { downloadRoute, guessMimetype } from './download.js';
import { accessDenied, CKAN_ERRORS, CkanBadRequest, ckanLang, toCkanError, type CkanError } from './errors.js';
import { formOrJson, mixed, type Params } from './params.js';

export { builtinCkanActions, CkanActions, type ActionContext, type CkanAction } from './actions.js';

const perApp = new WeakMap<ModuleContext, CkanActions>();

/**
 * The CKAN actions of one app (the context is one object per app): the built-in ones, plus those
 * other modules add in their `init` (the datastore's datastore_*), before the routes are built.
 */
export function ckanActionsOf(ctx: ModuleContext): CkanActions {
  let a = perApp.get(ctx);
  if (!a) {
    a = builtinCkanActions();
    perApp.set(ctx, a);
  }
  return a;
}

/** JSON and form bodies of actions (package dicts with many resources). */
const BODY_LIMIT = 16 * 1024 * 1024;
const PREFIXES = ['/api/3/action', '/api/action'];
const POST_ONLY = 'Bad request: JSON Error: Invalid request. Please use POST method for your request';
const JSONP_CALLBACK = /^[A-Za-z_$][\w$.]{0,99}$/;

/** JSON without `__proto__` keys; a marked error when it is not JSON. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text, (k, v: unknown) => (k === '__proto__' ? undefined : v));
  } catch {
    throw new CkanBadRequest('Bad request - JSON Error: Error decoding JSON data.');
  }
}

function sendBare(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.status(status).type('application/json; charset=utf-8').send(JSON.stringify(message));
}

function sendError(reply: FastifyReply, help: string, e: CkanError): FastifyReply {
  return reply
    .status(e.status)
    .type('application/json; charset=utf-8')
    .send({ help, success: false, error: { __type: e.type, message: e.message, ...e.fields } });
}

const helpUrl = (baseUrl: string, action: string) => `${baseUrl}/api/3/action/help_show?name=${encodeURIComponent(action)}`;

/** Reads a multipart body: fields as strings (repeated → list), the `upload` file stored as it streams in. */
async function readMultipart(
  req: FastifyRequest,
  ctx: ModuleContext,
  maxBytes: number,
  acceptsUpload: boolean,
): Promise<{ params: Params; upload?: StoredUpload }> {
  const params: Params = {};
  let upload: StoredUpload | undefined;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        if (part.fieldname === 'upload' && acceptsUpload && !upload) {
          const filename = safeFilename(part.filename);
          const stored = await ctx.files.put(part.file, maxBytes);
          upload = {
            storageKey: stored.key,
            size: stored.size,
            sha256: stored.sha256,
            filename,
            mimetype: part.mimetype && part.mimetype !== 'application/octet-stream' ? part.mimetype : guessMimetype(filename),
          };
        } else part.file.resume();
        continue;
      }
      if (part.fieldname === '__proto__') continue;
      const value = typeof part.value === 'string' ? part.value : String(part.value);
      if (findNul(value) || findNul(part.fieldname)) throw nulError(part.fieldname);
      const prev = params[part.fieldname];
      params[part.fieldname] = prev === undefined ? value : Array.isArray(prev) ? [...(prev as unknown[]), value] : [prev, value];
    }
  } catch (e) {
    if (upload) await ctx.files.remove(upload.storageKey);
    throw e;
  }
  return { params, ...(upload ? { upload } : {}) };
}

/**
 * CKAN Action API v3 on /api/3/action/* and /api/action/*: the envelope, error types and status
 * codes of CKAN 2.11, so CKAN clients and harvesters work unchanged (see the CKAN spec).
 */
export async function ckanRoutes(app: App, ctx: ModuleContext, opts: { maxUploadBytes?: number; actions?: CkanActions } = {}): Promise<void> {
  const actions = opts.actions ?? builtinCkanActions();
  const maxUpload = opts.maxUploadBytes ?? ctx.config.maxUploadBytes;
  const { baseUrl } = ctx.config;

  app.get('/api/3', { schema: { hide: true } }, async () => ({ version: 3 }));

  await app.register(async (api) => {
    await api.register(multipart, {
      limits: { fileSize: maxUpload + 1, files: 5, fields: 1000, fieldSize: BODY_LIMIT, parts: 1010 },
      throwFileSizeLimit: true,
    });
    api.addHook('onRequest', refuseDeclaredTooLarge(maxUpload));
    // JSON without the platform's empty-body error; any other content type is tried as JSON.
    api.removeContentTypeParser('application/json');
    const asJson = (_req: FastifyRequest, body: string | Buffer, done: (err: Error | null, body?: unknown) => void) => {
      const text = String(body).trim();
      if (!text) return done(null, {});
      try {
        done(null, parseJson(text));
      } catch (e) {
        done(e as Error, undefined);
      }
    };
    api.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: BODY_LIMIT }, asJson);
    api.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT }, asJson);

    // Errors before the handler (body parsing, too large bodies) in CKAN's shape.
    api.setErrorHandler((error, req, reply) => {
      const action = (req.params as { action?: string } | undefined)?.action ?? '';
      if (error instanceof CkanBadRequest) return sendBare(reply, 400, error.message);
      const fe = error as { code?: string; statusCode?: number };
      if (fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY') return sendBare(reply, 400, 'Bad request - JSON Error: Error decoding JSON data.');
      if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        const e = toCkanError({ code: 'FST_REQ_FILE_TOO_LARGE' }, ckanLang(req));
        return sendError(reply, helpUrl(baseUrl, action), e);
      }
      const e = toCkanError(error, ckanLang(req));
      if (e.status >= 500) req.log.error({ err: error }, 'CKAN action failed');
      return sendError(reply, helpUrl(baseUrl, action), e);
    });

    // The platform answers a bad token (401) or a failed CSRF check (403) itself, as a problem
    // document; CKAN clients expect an Authorization Error envelope.
    api.addHook('onSend', async (req, reply, payload) => {
      const type = String(reply.getHeader('content-type') ?? '');
      if (!type.startsWith('application/problem+json') || (reply.statusCode !== 401 && reply.statusCode !== 403)) return payload;
      let detail = 'Access denied';
      try {
        detail = (JSON.parse(String(payload)) as { detail?: string }).detail ?? detail;
      } catch {
        /* keep the generic message */
      }
      const action = (req.params as { action?: string } | undefined)?.action ?? '';
      void reply.status(403).type('application/json; charset=utf-8');
      return JSON.stringify({ help: helpUrl(baseUrl, action), success: false, error: { __type: 'Authorization Error', message: `Access denied: ${detail}` } });
    });

    for (const prefix of PREFIXES) {
      api.get(prefix, { schema: { hide: true } }, async () => ({ help: helpUrl(baseUrl, 'help_show'), success: true, result: actions.names() }));
      api.route<{ Params: { action: string } }>({
        method: ['GET', 'POST'],
        url: `${prefix}/:action`,
        bodyLimit: BODY_LIMIT,
        schema: { hide: true },
        handler: async (req, reply) => {
          const name = req.params.action;
          const action = actions.get(name);
          if (!action) return sendBare(reply, 400, `Bad request: Action name not known: ${name}`);
          if (req.method === 'GET' && !action.get) return sendBare(reply, 400, POST_ONLY);
          const lang = ckanLang(req);
          const help = helpUrl(baseUrl, name);
          const query = mixed(req.query as Record<string, unknown>);
          const callback = req.method === 'GET' && typeof query.callback === 'string' && JSONP_CALLBACK.test(query.callback) ? query.callback : undefined;
          delete query.callback;
          delete query._;
          // A JSONP answer can be read by any site: cookie sessions get only what anonymous callers get.
          const principal: Principal = callback && req.principal.via === 'session' ? ANONYMOUS : req.principal;
          let upload: StoredUpload | undefined;
          try {
            if (!action.get && !principal.user) throw accessDenied(`Action ${name} requires an authenticated user`);
            let params: Params;
            if (req.method === 'GET') params = query;
            else if (req.isMultipart()) ({ params, upload } = await readMultipart(req, ctx, maxUpload, !!action.upload));
            else {
              const body: unknown = req.body ?? {};
              if (typeof body !== 'object' || Array.isArray(body)) {
                return sendBare(reply, 400, `Bad request - JSON Error: Request data JSON decoded to ${JSON.stringify(body)} but it needs to be a dictionary.`);
              }
              const isForm = String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
              params = isForm ? formOrJson(mixed(body as Record<string, unknown>)) : (body as Params);
              if (Object.keys(params).length === 0 && action.get) params = query;
            }
            const c: ActionContext = { db: ctx.db, config: ctx.config, files: ctx.files, req, principal, params, lang, upload, actions, events: ctx.events };
            const result = await action.run(c);
            const envelope = { help, success: true, result };
            if (callback) return reply.type('application/javascript; charset=utf-8').send(`${callback}(${JSON.stringify(envelope)});`);
            return reply.type('application/json; charset=utf-8').send(envelope);
          } catch (err) {
            if (upload) await ctx.files.remove(upload.storageKey).catch(() => undefined);
            if (err instanceof CkanBadRequest) return sendBare(reply, 400, err.message);
            const e = toCkanError(err, lang, { orgFields: name.startsWith('organization_') || name.startsWith('member_') });
            if (e.status >= 500) req.log.error({ err, action: name }, 'CKAN action failed');
            return sendError(reply, help, e);
          }
        },
      });
    }
  });

  await downloadRoute(app, ctx);
}

/** The CKAN error types and their HTTP status codes (for documentation and tests). */
export const CKAN_ERROR_STATUS = CKAN_ERRORS;
