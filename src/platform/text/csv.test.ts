import { describe, expect, it } from 'vitest';
import { csvCell } from './csv.js';

describe('csvCell', () => {
  it('quotes only what needs it, writes objects as JSON and null as nothing', () => {
    expect(csvCell('Phan Rang')).toBe('Phan Rang');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('a,b', '\t')).toBe('a,b');
    expect(csvCell('x\ty', '\t')).toBe('"x\ty"');
    expect(csvCell('nói "có"')).toBe('"nói ""có"""');
    expect(csvCell('dòng\r\nhai')).toBe('"dòng\r\nhai"');
    expect(csvCell(12.5)).toBe('12.5');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell({ qc: 'stuck' })).toBe('"{""qc"":""stuck""}"');
  });
});
