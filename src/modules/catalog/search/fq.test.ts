import { describe, expect, it } from 'vitest';
import { fieldsOf, FqError, parseFq, parseSolr, parseSolrDate } from './fq.js';

const term = (field: string, value: string, quoted = false) => ({ op: 'term', field, value, quoted });

describe('fq parser (Solr subset)', () => {
  it('parses field:value and field:"quoted value"', () => {
    expect(parseFq('organization:so-tnmt')).toEqual(term('organization', 'so-tnmt'));
    expect(parseFq('tags:"nước thải"')).toEqual(term('tags', 'nước thải', true));
    expect(parseFq('tags:"a \\"b\\""')).toEqual(term('tags', 'a "b"', true));
  });

  it('normalises NFD input to NFC', () => {
    expect(parseFq('tags:"nước thải"'.normalize('NFD'))).toEqual(term('tags', 'nước thải'.normalize('NFC'), true));
  });

  it('parses OR, AND, implicit AND and precedence', () => {
    expect(parseFq('res_format:CSV OR res_format:XLSX')).toEqual({ op: 'or', args: [term('res_format', 'CSV'), term('res_format', 'XLSX')] });
    expect(parseFq('tags:a AND tags:b')).toEqual({ op: 'and', args: [term('tags', 'a'), term('tags', 'b')] });
    expect(parseFq('tags:a tags:b')).toEqual({ op: 'and', args: [term('tags', 'a'), term('tags', 'b')] });
    expect(parseFq('tags:a tags:b OR tags:c')).toEqual({
      op: 'or',
      args: [{ op: 'and', args: [term('tags', 'a'), term('tags', 'b')] }, term('tags', 'c')],
    });
    expect(parseFq('tags:a && tags:b || tags:c').op).toBe('or');
  });

  it('parses -, NOT, ! and +', () => {
    expect(parseFq('-organization:x')).toEqual({ op: 'not', arg: term('organization', 'x') });
    expect(parseFq('NOT organization:x')).toEqual({ op: 'not', arg: term('organization', 'x') });
    expect(parseFq('!organization:x')).toEqual({ op: 'not', arg: term('organization', 'x') });
    expect(parseFq('+organization:x +res_format:CSV')).toEqual({ op: 'and', args: [term('organization', 'x'), term('res_format', 'CSV')] });
    expect(parseFq('+dataset_type:dataset -tags:x')).toEqual({ op: 'and', args: [term('dataset_type', 'dataset'), { op: 'not', arg: term('tags', 'x') }] });
  });

  it('parses parentheses and field groups', () => {
    expect(parseFq('(tags:a OR tags:b) AND -(organization:x)')).toEqual({
      op: 'and',
      args: [
        { op: 'or', args: [term('tags', 'a'), term('tags', 'b')] },
        { op: 'not', arg: term('organization', 'x') },
      ],
    });
    expect(parseFq('res_format:(CSV OR "Excel file")')).toEqual({ op: 'or', args: [term('res_format', 'CSV'), term('res_format', 'Excel file', true)] });
    expect(parseFq('tags:(a b)')).toEqual({ op: 'and', args: [term('tags', 'a'), term('tags', 'b')] });
  });

  it('keeps hyphens and colons inside values', () => {
    expect(parseFq('name:bao-cao-2024')).toEqual(term('name', 'bao-cao-2024'));
    expect(parseFq('metadata_modified:2024-01-01T00:00:00Z')).toEqual(term('metadata_modified', '2024-01-01T00:00:00Z'));
    expect(parseFq('harvest_source_id:urn\\:x')).toEqual(term('harvest_source_id', 'urn:x'));
  });

  it('parses date ranges with *, NOW and exclusive bounds', () => {
    expect(parseFq('metadata_modified:[2024-01-01T00:00:00Z TO *]')).toEqual({
      op: 'range',
      field: 'metadata_modified',
      lo: new Date('2024-01-01T00:00:00Z'),
      hi: null,
      loInclusive: true,
      hiInclusive: true,
    });
    const now = new Date('2025-03-10T12:34:56Z');
    expect(parseSolr('metadata_created:{NOW-1DAY TO NOW}', { strictFields: true, now }).node).toEqual({
      op: 'range',
      field: 'metadata_created',
      lo: new Date('2025-03-09T12:34:56Z'),
      hi: now,
      loInclusive: false,
      hiInclusive: false,
    });
    expect(parseFq('metadata_modified:[* TO 2024-06-30]')).toMatchObject({ lo: null, hi: new Date('2024-06-30T00:00:00Z') });
    expect(parseFq('metadata_modified:[2024-01-01T00:00:00.000Z TO 2024-02-01T00:00:00Z}')).toMatchObject({ hiInclusive: false });
  });

  it('does Solr date math', () => {
    const now = new Date('2025-03-10T12:34:56Z');
    expect(parseSolrDate('NOW/DAY', now)).toEqual(new Date('2025-03-10T00:00:00Z'));
    expect(parseSolrDate('NOW/MONTH-1MONTH', now)).toEqual(new Date('2025-02-01T00:00:00Z'));
    expect(parseSolrDate('NOW-2YEARS', now)).toEqual(new Date('2023-03-10T12:34:56Z'));
    expect(() => parseSolrDate('2024-02-30')).toThrow(FqError);
    expect(() => parseSolrDate('yesterday')).toThrow(FqError);
  });

  it('parses *:* and field:* and trailing wildcards', () => {
    expect(parseFq('*:*')).toEqual({ op: 'all' });
    expect(parseFq('')).toEqual({ op: 'all' });
    expect(parseFq('tags:*')).toMatchObject({ op: 'term', field: 'tags', any: true });
    expect(parseFq('name:bao-cao*')).toMatchObject({ op: 'term', field: 'name', value: 'bao-cao', prefix: true });
  });

  it('accepts aliases and every supported field', () => {
    expect(parseFq('type:dataset')).toEqual(term('dataset_type', 'dataset'));
    for (const f of [
      'owner_org',
      'groups',
      'license_id',
      'id',
      'title',
      'access_level',
      'spatial_codes',
      'shared_db',
      'capacity',
      'state',
      'harvest_source_id',
    ])
      expect(parseFq(`${f}:x`)).toMatchObject({ op: 'term', field: f });
  });

  it('rejects unknown fields and broken syntax', () => {
    for (const bad of ['foo:bar', 'tags:(a OR b', '(tags:a', 'tags:"open', 'name:[a TO b]', 'metadata_modified:[2024 TO]', 'tags:', 'OR tags:a', 'tags:a)'])
      expect(() => parseFq(bad), bad).toThrow(FqError);
  });

  it('in q mode keeps free text and treats unknown fields as text', () => {
    const p = parseSolr('organization:so-tnmt nước thải', { strictFields: false });
    expect(p.fieldCount).toBe(1);
    expect(p.freeText).toEqual(['nước', 'thải']);
    expect(parseSolr('Ghi chú: báo cáo', { strictFields: false }).fieldCount).toBe(0);
  });

  it('lists the fields a tree uses', () => {
    expect([...fieldsOf(parseFq('organization:x -(tags:a OR capacity:public)'))].sort()).toEqual(['capacity', 'organization', 'tags']);
  });
});
