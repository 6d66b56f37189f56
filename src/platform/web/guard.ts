import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * preHandler for pages that need an account: anonymous visitors go to the login form and come
 * back here. (Sysadmin-only pages then call requireSysadmin, whose 403 the web error handler renders.)
 */
export async function requireSignedIn(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  if (req.principal.user) return undefined;
  const pathname = new URL(req.url, 'http://x').pathname;
  const back = req.method === 'GET' ? req.url : (/^\/admin\/[a-z]+/.exec(pathname)?.[0] ?? '/');
  return reply.redirect(`/login?next=${encodeURIComponent(back)}`, 303);
}
