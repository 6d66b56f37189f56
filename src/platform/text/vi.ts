/**
 * Vietnamese text keys. Accent-insensitive key: NFD → drop combining marks → đ/Đ → d → lower case.
 * (The common NFKD + [^\w] recipe deletes đ and turns "Đà Lạt" into "a lat".)
 */
export function foldVi(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** NFC, trimmed, inner whitespace collapsed: how every stored text field is kept. */
export const cleanText = (text: string): string => text.normalize('NFC').replace(/\s+/g, ' ').trim();

/** The same for text whose lines matter (a report's prose): NFC, line ends as \n, trimmed. */
export const cleanMultiline = (text: string): string => text.normalize('NFC').replace(/\r\n?/g, '\n').trim();

/** Whether a string has the shape of an e-mail address (something@domain.tld, no spaces); the one check of every form and API. */
export const isEmailAddress = (s: string): boolean => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s);

/** A URL slug from a Vietnamese name: "Sở Khoa học và Công nghệ" → "so-khoa-hoc-va-cong-nghe". */
export function slugify(text: string, maxLength = 100): string {
  return foldVi(text)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/g, '');
}
