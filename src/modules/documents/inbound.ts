import type { FastifyBaseLogger } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalCall, LocalHandler } from '../../platform/http/index.js';
import { EdxmlError } from './edxml/errors.js';
import { receivePackage } from './receive.js';
import { listRoutes, routeFor } from './routing.js';
import type { DocsDeps } from './send.js';

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
};

/**
 * The documents service other instances (and the national hub's stand-in) deliver to, offered
 * in-process as `local:documents` behind the exchange gateway, which has checked the caller and its
 * access right: `POST …/packages/{organ}` with the edXML package as the body. 200 with the
 * receipt (`status` 01, or `duplicate` for a package seen before), 400 with status 02 and the
 * element for a package refused.
 */
export function inboundHandler(deps: DocsDeps, log: FastifyBaseLogger): LocalHandler {
  return async (req: IncomingMessage, res: ServerResponse, call: LocalCall) => {
    const m = /^\/packages\/([^/]+)$/.exec(call.path);
    if (!m || req.method !== 'POST') {
      req.resume();
      return json(res, m ? 405 : 404, { status: 'error', reason: 'POST /packages/{organ} with an edXML package' });
    }
    try {
      const instance = call.client.split('/')[0];
      const receipt = await receivePackage(deps, {
        toOrgan: decodeURIComponent(m[1]!),
        messageId: `${call.client}#${call.messageId}`,
        via: call.client,
        source: req,
        // An instance speaks for the agencies this one routes to it, and no others.
        mayCarry: async (organ) => routeFor(await listRoutes(deps.db), organ)?.service.split('/')[0] === instance,
      });
      json(res, 200, receipt);
    } catch (e) {
      req.resume();
      if (e instanceof EdxmlError) return json(res, 400, { status: '02', element: e.element, reason: e.reason });
      log.error({ err: e }, 'documents: receiving a package failed');
      json(res, 500, { status: 'error', reason: 'internal error' });
    }
  };
}
