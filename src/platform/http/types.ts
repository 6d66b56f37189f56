import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { Lang } from '../i18n/index.js';

/** The Fastify instance type every route plugin receives: schemas are TypeBox, types inferred. */
export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

declare module 'fastify' {
  interface FastifyRequest {
    lang: Lang;
  }
}

/** OpenAPI security requirement for routes that accept an API token or a session cookie. */
export const SECURED: { [scheme: string]: string[] }[] = [{ apiToken: [] }, { session: [] }];
