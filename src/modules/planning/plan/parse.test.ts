import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../../platform/root.js';
import { parsePlanTasks } from './parse.js';
import { PLAN_FILE, TASKS } from './reference.js';

const text = fs.readFileSync(path.join(ROOT, PLAN_FILE), 'utf8');
const flat = text.normalize('NFC').replace(/\s+/g, ' ');

describe('the plan text as tasks', () => {
  const tasks = parsePlanTasks(text);

  it('finds every task of sections II and IV, each quoted word for word', () => {
    expect(tasks.filter((t) => t.section === 'II')).toHaveLength(16);
    expect(tasks.filter((t) => t.section === 'IV')).toHaveLength(28);
    for (const t of tasks) expect(flat).toContain(t.text);
    expect(new Set(tasks.map((t) => t.ref)).size).toBe(tasks.length);
  });

  it('numbers bullets under headings and sub-headings, and takes a lone paragraph as the task', () => {
    const byRef = new Map(tasks.map((t) => [t.ref, t]));
    expect(byRef.get('II.3.b.2')?.text).toMatch(/^Tập trung đầu tư cho nghiên cứu/);
    expect(byRef.get('II.4.1')?.text).toMatch(/^Tăng cường ứng dụng TTNT trong các lĩnh vực kinh tế xã hội/);
    expect(byRef.get('IV.6.1')?.headingText).toBe('Sở Giao thông vận tải');
    expect(byRef.get('IV.2.2')?.text).toMatch(/^Mời các chuyên gia/);
    expect(byRef.get('IV.11.3')?.text).toContain('trước ngày 15/11');
    // The closing amendment paragraph of IV.11 is prose, not a task.
    expect(tasks.some((t) => t.text.startsWith('Trong quá trình tổ chức thực hiện'))).toBe(false);
    // Section III (funding) is not tasks.
    expect(tasks.some((t) => t.section === 'III')).toBe(false);
  });

  it('matches the reference table one to one', () => {
    expect(tasks.map((t) => t.ref).sort()).toEqual(Object.keys(TASKS).sort());
  });

  it('reads the same from Windows line ends and decomposed accents', () => {
    const crlf = parsePlanTasks(text.normalize('NFD').replace(/\n/g, '\r\n'));
    expect(crlf.map((t) => t.text)).toEqual(tasks.map((t) => t.text));
  });
});
