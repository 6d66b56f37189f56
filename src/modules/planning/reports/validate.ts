import { badRequest, FieldErrors, unprocessable } from '../../../platform/http/index.js';
import { cleanText, parseNumber } from '../../../platform/text/index.js';
import { TASK_STATUSES, type EvidenceLink, type SectionRow, type TaskStatus } from '../tables.js';

/** One task's answer as a unit enters it (API body, or the form's fields read into this shape). */
export interface SectionInput {
  status?: string | null;
  done?: string | null;
  results?: string | null;
  difficulties?: string | null;
  proposals?: string | null;
  evidence?: { label?: string; url?: string }[] | null;
}
export interface ReportInput {
  sections?: Record<string, SectionInput>;
  /** Indicator code → value: a number, or text as people write numbers (1.234,5). */
  values?: Record<string, { value?: number | string | null; note?: string | null }>;
}

export type CleanSection = Pick<SectionRow, 'status' | 'done' | 'results' | 'difficulties' | 'proposals' | 'evidence'>;
export interface CleanReport {
  sections: Map<string, CleanSection>;
  values: Map<string, { value: number | null; note: string | null }>;
}

const TEXT_MAX = 20_000;
const MAX_EVIDENCE = 20;

const text = (errors: FieldErrors, field: string, v: unknown): string | null => {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') {
    errors.add(badRequest('invalid_type', { vi: 'Phải là chuỗi ký tự.', en: 'Must be a string.' }, field));
    return null;
  }
  const s = v
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .trim();
  if (s.length > TEXT_MAX) errors.add(badRequest('too_long', { vi: `Tối đa ${TEXT_MAX} ký tự.`, en: `At most ${TEXT_MAX} characters.` }, field));
  return s === '' ? null : s;
};

function evidenceOf(errors: FieldErrors, field: string, v: SectionInput['evidence']): EvidenceLink[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.length > MAX_EVIDENCE) {
    errors.add(badRequest('invalid_evidence', { vi: `Tối đa ${MAX_EVIDENCE} liên kết minh chứng.`, en: `At most ${MAX_EVIDENCE} evidence links.` }, field));
    return [];
  }
  const out: EvidenceLink[] = [];
  for (const item of v) {
    const url = typeof item?.url === 'string' ? item.url.trim() : '';
    if (!url) continue;
    let ok = false;
    try {
      const u = new URL(url);
      ok = (u.protocol === 'https:' || u.protocol === 'http:') && url.length <= 2000;
    } catch {
      ok = false;
    }
    if (!ok) {
      errors.add(
        badRequest('invalid_url', { vi: 'Liên kết minh chứng phải là địa chỉ http(s) đầy đủ.', en: 'An evidence link must be a full http(s) address.' }, field),
      );
      continue;
    }
    out.push({ label: (typeof item.label === 'string' ? cleanText(item.label) : '').slice(0, 300) || url, url });
  }
  return out;
}

/**
 * The one check of what a unit enters, for the API and the form alike: field by field (types,
 * lengths, task statuses, links, numbers), every problem reported at once and nothing written.
 * Only tasks and indicators of this report are accepted.
 */
export function cleanReportInput(input: ReportInput, known: { tasks: ReadonlySet<string>; indicators: ReadonlySet<string> }): CleanReport {
  const errors = new FieldErrors();
  const sections = new Map<string, CleanSection>();
  for (const [ref, s] of Object.entries(input.sections ?? {})) {
    const f = `sections.${ref}`;
    if (!known.tasks.has(ref)) {
      errors.add(badRequest('unknown_task', { vi: 'Nhiệm vụ {ref} không thuộc báo cáo này.', en: 'Task {ref} is not part of this report.' }, f, { ref }));
      continue;
    }
    let status: TaskStatus | null = null;
    if (s.status !== undefined && s.status !== null && s.status !== '') {
      if ((TASK_STATUSES as readonly string[]).includes(s.status)) status = s.status as TaskStatus;
      else
        errors.add(
          badRequest(
            'invalid_status',
            {
              vi: 'Trạng thái phải là: chưa triển khai, đang triển khai, hoàn thành hoặc quá hạn.',
              en: 'Status must be not_started, in_progress, done or overdue.',
            },
            `${f}.status`,
          ),
        );
    }
    sections.set(ref, {
      status,
      done: text(errors, `${f}.done`, s.done),
      results: text(errors, `${f}.results`, s.results),
      difficulties: text(errors, `${f}.difficulties`, s.difficulties),
      proposals: text(errors, `${f}.proposals`, s.proposals),
      evidence: evidenceOf(errors, `${f}.evidence`, s.evidence),
    });
  }
  const values = new Map<string, { value: number | null; note: string | null }>();
  for (const [code, v] of Object.entries(input.values ?? {})) {
    const f = `values.${code}`;
    if (!known.indicators.has(code)) {
      errors.add(
        badRequest('unknown_indicator', { vi: 'Chỉ tiêu {code} không thuộc báo cáo này.', en: 'Indicator {code} is not part of this report.' }, f, { code }),
      );
      continue;
    }
    let value: number | null = null;
    if (typeof v.value === 'number') value = Number.isFinite(v.value) ? v.value : NaN;
    else if (typeof v.value === 'string' && v.value.trim() !== '') value = parseNumber(v.value) ?? NaN;
    if (Number.isNaN(value) || (value !== null && Math.abs(value) > 1e15)) {
      errors.add(badRequest('invalid_number', { vi: 'Phải là một số (ví dụ 1.234,5).', en: 'Must be a number (e.g. 1,234.5).' }, f));
      value = null;
    }
    values.set(code, { value, note: text(errors, `${f}.note`, v.note) });
  }
  errors.throwIfAny();
  return { sections, values };
}

/**
 * What a report needs before it can be submitted: every task with a status; what was done unless
 * it has not started; the results of a task done; the difficulties of one not started or overdue
 * (why); a value for each indicator the unit is responsible for entering.
 */
export function checkComplete(
  sections: ReadonlyMap<string, CleanSection>,
  tasks: readonly string[],
  values: ReadonlyMap<string, { value: number | null }>,
  owedIndicators: readonly string[],
): void {
  const errors = new FieldErrors();
  // Each message names its task or indicator: the form's summary lists them without labels.
  const need = (field: string, vi: string, en: string) => errors.add(unprocessable('required', { vi, en }, field));
  for (const ref of tasks) {
    const s = sections.get(ref);
    const f = `sections.${ref}`;
    if (!s?.status) {
      need(`${f}.status`, `Nhiệm vụ ${ref}: chọn trạng thái.`, `Task ${ref}: choose a status.`);
      continue;
    }
    if (s.status !== 'not_started' && !s.done) need(`${f}.done`, `Nhiệm vụ ${ref}: nêu nội dung đã thực hiện.`, `Task ${ref}: say what was done.`);
    if (s.status === 'done' && !s.results) need(`${f}.results`, `Nhiệm vụ ${ref}: nêu kết quả đạt được.`, `Task ${ref}: give the results of a task done.`);
    if ((s.status === 'not_started' || s.status === 'overdue') && !s.difficulties)
      need(`${f}.difficulties`, `Nhiệm vụ ${ref}: nêu khó khăn, vướng mắc.`, `Task ${ref}: say what stands in the way.`);
  }
  for (const code of owedIndicators)
    if (values.get(code)?.value == null) need(`values.${code}`, `Chỉ tiêu ${code}: nhập số liệu.`, `Indicator ${code}: enter the value.`);
  errors.throwIfAny();
}
