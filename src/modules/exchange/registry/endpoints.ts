/**
 * Endpoint rules of access rights, as X-Road writes them: a method (or `*`) and a path pattern
 * where `*` stands for one path segment (or part of one) and `**` for any number of segments.
 */
export interface Endpoint {
  method: string;
  path: string;
}

const METHODS = new Set(['*', 'GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** "GET /stations/*" → { method, path }, or null when it is not a rule. */
export function parseEndpoint(text: string): Endpoint | null {
  const m = /^\s*([A-Za-z*]+)\s+(\/\S*)\s*$/.exec(text);
  if (!m) return null;
  const method = m[1]!.toUpperCase();
  if (!METHODS.has(method) || m[2]!.length > 1000 || /[?#]/.test(m[2]!)) return null;
  return { method, path: m[2]! };
}

export const ALL_ENDPOINTS: Endpoint = { method: '*', path: '/**' };
export const endpointText = (e: Endpoint) => `${e.method} ${e.path}`;

const escape = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** The path pattern as an anchored regular expression. */
export function patternRe(path: string): RegExp {
  const body = path
    .split('**')
    .map((piece) => piece.split('*').map(escape).join('[^/]*'))
    .join('.*');
  return new RegExp(`^${body}$`);
}

export interface CompiledEndpoint extends Endpoint {
  re: RegExp;
}
export const compileEndpoint = (e: Endpoint): CompiledEndpoint => ({ ...e, re: patternRe(e.path) });

export const endpointMatches = (e: CompiledEndpoint, method: string, path: string) => (e.method === '*' || e.method === method) && e.re.test(path);
