export type Lang = 'vi' | 'en';
export const LANGS: readonly Lang[] = ['vi', 'en'];
export const DEFAULT_LANG: Lang = 'vi';

/** A user-facing message in both languages; `{name}` placeholders are filled by `format`. */
export interface Msg {
  vi: string;
  en: string;
}

export function format(msg: Msg, lang: Lang, params: Record<string, string | number> = {}): string {
  return msg[lang].replace(/\{(\w+)\}/g, (_, k: string) => (k in params ? String(params[k]) : `{${k}}`));
}

/** A message catalog: every string one module (or the shell) shows, by key. */
export type Catalog<K extends string = string> = Readonly<Record<K, Msg>>;

/** Declares a message catalog; the keys become a typed lookup (see platform/web `viewOf`). */
export function defineMessages<K extends string>(catalog: Record<K, Msg>): Catalog<K> {
  return catalog;
}

/**
 * Boot check of the catalogs composed into one app: a key may be defined by one catalog only
 * (a module key shadowing the shell's or another module's would show a different text depending
 * on which scope a page used), and every message has both languages.
 */
export function checkCatalogs(catalogs: { owner: string; catalog: Catalog }[]): void {
  const seen = new Map<string, string>();
  for (const { owner, catalog } of catalogs) {
    for (const [key, msg] of Object.entries(catalog)) {
      const other = seen.get(key);
      if (other !== undefined) throw new Error(`message key "${key}" is defined by both ${other} and ${owner}`);
      if (!msg.vi || !msg.en) throw new Error(`message "${key}" of ${owner} lacks a ${msg.vi ? 'English' : 'Vietnamese'} text`);
      seen.set(key, owner);
    }
  }
}

/**
 * Chooses the language: an explicit choice (query ?lang= or the `lang` cookie) wins,
 * then the first supported tag of Accept-Language, then Vietnamese.
 */
export function pickLang(acceptLanguage: string | undefined, explicit?: string | undefined): Lang {
  if (explicit === 'vi' || explicit === 'en') return explicit;
  if (!acceptLanguage) return DEFAULT_LANG;
  const tags = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((t) => t.tag && t.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of tags) {
    const base = tag.split('-')[0];
    if (base === 'vi' || base === 'en') return base;
  }
  return DEFAULT_LANG;
}
