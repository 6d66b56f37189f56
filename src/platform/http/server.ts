import crypto from 'node:crypto';
import http from 'node:http';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyServerOptions } from 'fastify';
import { pickLang } from '../i18n/index.js';
import { errorHandler } from './error-handler.js';
import { capConnections } from './connection-cap.js';
import { notFound } from './errors.js';
import { nulGuard } from './nul-guard.js';
import type { App } from './types.js';
import type { RawRoutes } from './raw-routes.js';

export interface HttpOptions {
  /** Fastify's logger options, or (instead) the app's own logger instance. */
  logger?: FastifyServerOptions['logger'];
  loggerInstance?: FastifyBaseLogger;
  /** Largest accepted request body for JSON/form routes (uploads set their own). */
  bodyLimit?: number;
  version: string;
  /** Path prefixes served before the framework (see raw-routes.ts). */
  raw?: RawRoutes;
  trustProxy?: boolean;
}

/**
 * The HTTP platform every module plugs into: schema validation with TypeBox, OpenAPI from the same
 * schemas, problem-details errors in Vietnamese or English, request ids, security headers, and
 * rate limiting available per route (`config.rateLimit`).
 */
export async function createHttpServer(opts: HttpOptions): Promise<App> {
  const app = Fastify({
    ...(opts.loggerInstance ? { loggerInstance: opts.loggerInstance } : { logger: opts.logger ?? false }),
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    trustProxy: opts.trustProxy ?? false,
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
    // Uploaded files' names (up to 200 characters, percent-encoded) are a route parameter.
    routerOptions: { maxParamLength: 2048 },
    connectionTimeout: 60_000,
    requestTimeout: 120_000,
    // Raw routes (the exchange gateway) are dispatched before Fastify; `inject` does not pass here.
    serverFactory: (handler) =>
      http.createServer((req, res) => {
        const route = opts.raw?.match(req.url);
        if (route) route.handle(req, res);
        else handler(req, res);
      }),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  capConnections(app.server);
  await app.register(cookie);
  app.decorateRequest('lang', 'vi');
  app.addHook('onRequest', async (req, reply) => {
    const q = req.query as Record<string, string | undefined> | undefined;
    req.lang = pickLang(req.headers['accept-language'], q?.lang ?? req.cookies.lang);
    void reply.header('x-request-id', req.id);
  });
  // A POST without a body to a route whose body is optional (every field optional) is an empty object, not a type error.
  app.addHook('preValidation', async (req) => {
    if (req.body === undefined && req.routeOptions.schema?.body) req.body = {};
  });
  app.addHook('preHandler', nulGuard);
  await app.register(formbody);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(rateLimit, {
    global: false,
    // Thrown to the central error handler, which answers with a 429 problem; Retry-After is set by the plugin.
    errorResponseBuilder: () => Object.assign(new Error('rate limited'), { statusCode: 429 }),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Tỉnh Số API',
        description: 'API của nền tảng dữ liệu Tỉnh Số / The Tỉnh Số platform API',
        version: opts.version,
        license: { name: 'Apache-2.0' },
      },
      components: {
        securitySchemes: {
          apiToken: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'API token (optionally prefixed with "Bearer ")' },
          session: { type: 'apiKey', in: 'cookie', name: 'tinhso_session' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((req, reply) => {
    errorHandler(
      notFound('not_found', { vi: 'Không tìm thấy đường dẫn {url}.', en: 'No route {url}.' }, undefined, { url: req.url.split('?')[0] ?? '' }),
      req,
      reply,
    );
  });
  return app as App;
}
