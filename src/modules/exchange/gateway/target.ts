import { IdError, parseParts, type ServiceId } from '../ids.js';
import { badRequest, badService } from './errors.js';

export const METASERVICES = new Set(['listMethods', 'allowedMethods', 'getOpenAPI']);

export type Target =
  | { kind: 'listClients'; instance: string | null; query: string }
  | { kind: 'service'; service: ServiceId; key: string; rest: string; path: string; query: string; raw: string };

/**
 * `/r1/{instance}/{class}/{member}/{subsystem}/{service}[/path][?query]` (or `/r1/listClients`).
 * `rest` is the path after the service as sent (forwarded as it is); `path` its decoded,
 * normalised form that access rules are matched against. A dot segment or an encoded slash is
 * refused rather than normalised: rules and provider must see the same path.
 */
export function parseTarget(url: string): Target {
  const q = url.indexOf('?');
  const pathPart = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? '' : url.slice(q);
  const segs = pathPart.slice('/r1/'.length).split('/');
  if (segs[0] === 'listClients' && segs.length <= 2) return { kind: 'listClients', instance: segs[1] ? decodeURIComponent(segs[1]) : null, query };
  if (segs.length < 5 || segs.slice(0, 5).some((s) => s === ''))
    throw badService(
      'Đường dẫn phải là /r1/{instance}/{class}/{member}/{subsystem}/{service}[/path].',
      'The path must be /r1/{instance}/{class}/{member}/{subsystem}/{service}[/path].',
    );
  let parts: string[];
  try {
    parts = parseParts(segs.slice(0, 5).join('/'), 5, 5, 'service');
  } catch (e) {
    if (e instanceof IdError)
      throw badService(`Định danh dịch vụ không hợp lệ — ${e.what}: "${e.value}".`, `Invalid service identifier — ${e.what}: "${e.value}".`);
    throw e;
  }
  const [instance, memberClass, memberCode, subsystemCode, serviceCode] = parts as [string, string, string, string, string];
  const restSegs = segs.slice(5);
  const decoded: string[] = [];
  for (const s of restSegs) {
    let d = s;
    try {
      if (s.includes('%')) d = decodeURIComponent(s);
    } catch {
      throw badRequest('Đường dẫn có mã hoá phần trăm sai.', 'The path has a malformed percent-encoding.');
    }
    if (d === '.' || d === '..' || d.includes('/') || d.includes('\\') || d.includes('\0'))
      throw badRequest('Đường dẫn không được chứa “.”, “..” hay dấu gạch chéo mã hoá.', 'The path may not contain “.”, “..” or an encoded slash.');
    decoded.push(d);
  }
  const service = { instance, memberClass, memberCode, subsystemCode, serviceCode };
  return {
    kind: 'service',
    service,
    key: `${instance}/${memberClass}/${memberCode}/${subsystemCode}/${serviceCode}`,
    rest: restSegs.length ? `/${restSegs.join('/')}` : '',
    path: `/${decoded.join('/')}`,
    query,
    raw: pathPart + query,
  };
}
