import { badRequest } from '../http/index.js';

/**
 * A webhook's address as given: an http(s) URL with no credentials and no fragment, normalised; a
 * 400 naming `field` otherwise. Where it may point (public addresses unless allowed) is the outbound
 * policy's to say, at each call. One rule for every module that takes webhooks.
 */
export function webhookUrl(raw: string, field: string): string {
  let u: URL | undefined;
  try {
    u = new URL(raw.trim());
  } catch {
    u = undefined;
  }
  if (!u || (u.protocol !== 'https:' && u.protocol !== 'http:') || u.username || u.password || u.hash)
    throw badRequest(
      'invalid_url',
      { vi: 'Địa chỉ webhook phải là URL http(s), không kèm mật khẩu.', en: 'The webhook address must be an http(s) URL without credentials.' },
      field,
    );
  return u.toString();
}
