import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Level, LinkKind, UnitRecord } from './tables.js';

/** A units.json row: [code, name, name_en, level, type, parent_code, valid_from, valid_to, source]. */
export type UnitFileRow = [string, string, string | null, Level, string, string | null, string, string, string];
/** A links.json row: [from_code, from_valid_from, to_code, to_valid_from, kind]. */
export type LinkFileRow = [string, string, string, string, LinkKind];

const RELATIVE = path.join('data', 'admin-units');

/**
 * The committed reference data (data/admin-units/ at the repository or package root), found by
 * walking up from this file, so it works from src/ (tsx, vitest) and from a build in dist/.
 */
export function dataDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, RELATIVE);
    if (fs.existsSync(path.join(candidate, 'units.json'))) return candidate;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`admin-units: ${RELATIVE}/units.json not found above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

function readRows<T>(file: string): T[] {
  return (JSON.parse(fs.readFileSync(path.join(dataDir(), file), 'utf8')) as { rows: T[] }).rows;
}

export const readUnitRows = (): UnitFileRow[] => readRows<UnitFileRow>('units.json');
export const readLinkRows = (): LinkFileRow[] => readRows<LinkFileRow>('links.json');

const finite = (d: string): string | null => (d === 'infinity' || d === '-infinity' ? null : d);

/** The committed units as records (for tests and tools that run without a database). */
export function unitRecordsFromFile(): UnitRecord[] {
  return readUnitRows().map(([code, name, nameEn, level, type, parentCode, from, to]) => ({
    code,
    name,
    nameEn,
    level,
    type,
    parentCode,
    validFrom: finite(from),
    validTo: finite(to),
  }));
}
