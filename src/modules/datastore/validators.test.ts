import { describe, expect, it } from 'vitest';
import { notModified, validatorsOf } from './validators.js';

describe('export validators', () => {
  const at = new Date('2026-12-08T03:00:00.250Z');
  const v = validatorsOf({ version: 3, updated_at: at }, null);

  it('name the version, the last write and the reader’s rows', () => {
    expect(v.lastModified).toBe('Tue, 08 Dec 2026 03:00:00 GMT');
    expect(validatorsOf({ version: 4, updated_at: at }, null).etag).not.toBe(v.etag);
    expect(validatorsOf({ version: 3, updated_at: new Date(at.getTime() + 1) }, null).etag).not.toBe(v.etag);
    const commune = validatorsOf({ version: 3, updated_at: at }, { column: 'ma_xa', codes: ['22738'] });
    expect(commune.etag).not.toBe(v.etag);
    expect(validatorsOf({ version: 3, updated_at: at }, { column: 'ma_xa', codes: ['22741'] }).etag).not.toBe(commune.etag);
  });

  it('answer a conditional GET as RFC 9110 says', () => {
    const later = at.getTime() + 60_000;
    expect(notModified({ 'if-none-match': v.etag }, v, later)).toBe(true);
    expect(notModified({ 'if-none-match': `W/${v.etag}` }, v, later)).toBe(true);
    expect(notModified({ 'if-none-match': `"other", ${v.etag}` }, v, later)).toBe(true);
    expect(notModified({ 'if-none-match': '*' }, v, later)).toBe(true);
    // If-None-Match decides when present, whatever the date says.
    expect(notModified({ 'if-none-match': '"other"', 'if-modified-since': v.lastModified }, v, later)).toBe(false);
    expect(notModified({ 'if-modified-since': v.lastModified }, v, later)).toBe(true);
    expect(notModified({ 'if-modified-since': 'Tue, 08 Dec 2026 02:59:59 GMT' }, v, later)).toBe(false);
    expect(notModified({ 'if-modified-since': 'not a date' }, v, later)).toBe(false);
    expect(notModified({}, v, later)).toBe(false);
    // Written within the last second: a date-only client is sent the table (a write in the same second would hide).
    expect(notModified({ 'if-modified-since': v.lastModified }, v, at.getTime() + 500)).toBe(false);
  });
});
