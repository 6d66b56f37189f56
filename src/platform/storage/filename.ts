/** The longest file name kept for an upload (its download URL carries it as a route parameter). */
export const MAX_FILENAME = 200;

/** An uploaded file's name as stored (API and portal alike): NFC, no directories or control characters, at most 200 characters. */
export function safeFilename(name: string | undefined): string {
  const base = (name ?? '').normalize('NFC').split(/[/\\]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  return (clean.length > MAX_FILENAME ? clean.slice(clean.length - MAX_FILENAME) : clean) || 'upload';
}
