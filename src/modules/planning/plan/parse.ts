/**
 * Reads a provincial plan's text (as the People's Committee publishes it: roman-numbered sections,
 * numbered headings, lettered sub-headings and dash bullets) into its tasks. Every task is quoted
 * from the text: a dash bullet, or the paragraph under a heading that has no bullets. The text is
 * the source of truth; nothing here is paraphrased.
 */
export interface ParsedTask {
  /** Section, heading number, sub-heading letter (if any) and bullet number: "II.3.a.2", "IV.6.1". */
  ref: string;
  section: string;
  /** The heading number within the section ("3"). */
  heading: number;
  /** The heading's text ("Sở Giao thông vận tải", "Xây dựng hạ tầng dữ liệu"). */
  headingText: string;
  sub: string | null;
  text: string;
}

const SECTION = /^(I|II|III|IV|V|VI)\.\s+(.+)$/;
const HEADING = /^(\d{1,2})\.\s+(.+)$/;
const SUB = /^([a-zđ])\)\s+(.+)$/;
const BULLET = /^[-–]\s+(.+)$/;

/** The tasks of the given sections (by default II, the content, and IV, the units' tasks). */
export function parsePlanTasks(text: string, sections: readonly string[] = ['II', 'IV']): ParsedTask[] {
  const out: ParsedTask[] = [];
  let section: string | null = null;
  let heading: { n: number; text: string } | null = null;
  let sub: string | null = null;
  // Bullets seen under the current heading (and sub-heading); a plain paragraph is a task only
  // while there are none: after them it is closing prose (the amendment clause of IV.11).
  let bullets = 0;
  let counter = 0;
  const push = (body: string) => {
    if (!section || !heading) return;
    counter += 1;
    const ref = [section, String(heading.n), ...(sub ? [sub] : []), String(counter)].join('.');
    out.push({ ref, section, heading: heading.n, headingText: heading.text, sub, text: body });
  };
  for (const raw of text.normalize('NFC').split(/\r?\n/)) {
    const line = raw.replace(/\s+/g, ' ').trim();
    if (!line) continue;
    const s = SECTION.exec(line);
    if (s) {
      section = sections.includes(s[1]!) ? s[1]! : null;
      heading = null;
      sub = null;
      continue;
    }
    if (!section) continue;
    const h = HEADING.exec(line);
    if (h) {
      heading = { n: Number(h[1]), text: h[2]!.replace(/[:\s]+$/, '') };
      sub = null;
      bullets = 0;
      counter = 0;
      continue;
    }
    const su = SUB.exec(line);
    if (su && heading) {
      sub = su[1]!;
      bullets = 0;
      counter = 0;
      continue;
    }
    const b = BULLET.exec(line);
    if (b) {
      bullets += 1;
      push(b[1]!);
      continue;
    }
    if (bullets === 0 && counter === 0) push(line);
  }
  return out;
}
