import { describe, expect, it } from 'vitest';
import { applySchema, schemaProblems } from './editor-schema.js';

describe('the editor’s schema', () => {
  const header = ['Mã xã', 'Tên xã', 'Ngày đo', 'pH'];

  it('matches fields by name, or by title to rename, and names the ones that match nothing', () => {
    const { rules, unmatched } = applySchema({ fields: [{ name: 'ma_xa', title: 'Mã xã' }, { name: 'pH', type: 'number' }, { name: 'nhiet_do' }] }, header);
    expect(rules.map((r) => r.id)).toEqual(['ma_xa', 'Tên xã', 'Ngày đo', 'pH']);
    expect(rules[3]!.type).toBe('number');
    expect(unmatched).toEqual(['nhiet_do']);
  });

  it('checks constraints: patterns anchored, numeric and date bounds, enums, required', () => {
    const { rules } = applySchema(
      {
        fields: [
          { name: 'Mã xã', constraints: { required: true, pattern: '[0-9]{5}' } },
          { name: 'Tên xã', constraints: { enum: ['Phước Dân', 'Hộ Hải'] } },
          { name: 'Ngày đo', type: 'date', constraints: { minimum: '01/01/2020' } },
          { name: 'pH', type: 'number', constraints: { minimum: 0, maximum: 14 } },
        ],
      },
      header,
    );
    const [ma, ten, ngay, ph] = rules.map((r) => r.check!);
    expect(ma!('22738', '22738')).toBeNull();
    expect(ma!('227381', '227381')?.en).toContain('pattern');
    expect(ma!(null, '')?.en).toBe('a value is required');
    expect(ten!('Hộ Hải', 'Hộ Hải')).toBeNull();
    expect(ten!('Công Hải', 'Công Hải')?.en).toContain('not one of');
    expect(ngay!('15/03/2019', '2019-03-15')?.en).toContain('less than the minimum');
    expect(ngay!('15/03/2023', '2023-03-15')).toBeNull();
    expect(ph!('14,5', '14.5')?.en).toContain('more than the maximum 14');
    expect(ph!(null, '')).toBeNull();
  });

  it('finds every problem of a schema at once', () => {
    const problems = schemaProblems({
      fields: [
        { name: '_id' },
        { name: 'a', constraints: { pattern: '(' } },
        { name: 'A', type: 'string', constraints: { maximum: 3 } },
        { name: 'b', type: 'date', constraints: { minimum: 'hôm qua' } },
      ],
    });
    expect(problems.map((p) => p.path)).toEqual([
      'schema.fields.0.name',
      'schema.fields.1.constraints.pattern',
      'schema.fields.2.name',
      'schema.fields.2.constraints.maximum',
      'schema.fields.3.constraints.minimum',
    ]);
  });
});
