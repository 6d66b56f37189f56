import type { FastifyReply } from 'fastify';

/** A signal that aborts when the client closes the connection before the response is sent, so long work can stop. */
export function untilClientGone(reply: FastifyReply): AbortSignal {
  const ac = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) ac.abort();
  });
  return ac.signal;
}
