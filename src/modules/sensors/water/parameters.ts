import { foldVi } from '../../../platform/text/index.js';
import { WQI_GROUPS } from '../indices/wqi.js';

/** A VN_WQI parameter's key (as computeWqi takes it), or T, the water temperature DO needs. */
export type WaterKey = (typeof WQI_GROUPS)[keyof typeof WQI_GROUPS][number] | 'T';

/** The units values are stored and computed in: what QĐ 1460/QĐ-TCMT's tables use. */
export type WaterUnit = 'mg/L' | 'µg/L' | 'MPN/100mL' | '°C' | '';

const PESTICIDES = new Set<string>(WQI_GROUPS.II);

/** The unit a parameter's values are kept in. */
export function canonicalUnit(key: WaterKey): WaterUnit {
  if (key === 'pH') return '';
  if (key === 'T') return '°C';
  if (key === 'Coliform' || key === 'E.coli') return 'MPN/100mL';
  return PESTICIDES.has(key) ? 'µg/L' : 'mg/L';
}

export const UCUM: Record<WaterUnit, { name: string; symbol: string; definition: string }> = {
  'mg/L': { name: 'milligram per litre', symbol: 'mg/L', definition: 'http://unitsofmeasure.org/ucum.html#mg/L' },
  'µg/L': { name: 'microgram per litre', symbol: 'µg/L', definition: 'http://unitsofmeasure.org/ucum.html#ug/L' },
  'MPN/100mL': { name: 'most probable number per 100 millilitres', symbol: 'MPN/100mL', definition: 'http://unitsofmeasure.org/ucum.html#{MPN}/100mL' },
  '°C': { name: 'degree Celsius', symbol: '°C', definition: 'http://unitsofmeasure.org/ucum.html#Cel' },
  '': { name: 'pH', symbol: 'pH', definition: 'http://unitsofmeasure.org/ucum.html#[pH]' },
};

/** Header spellings (folded: no accents, case, spaces, dots, hyphens or underscores) of each parameter. */
const ALIASES: Record<WaterKey, string[]> = {
  pH: ['ph'],
  T: ['t', 'nhietdo', 'temperature', 'temp', 'nhietdonuoc'],
  DO: ['do', 'oxyhoatan', 'oxihoatan'],
  BOD5: ['bod5', 'bod'],
  COD: ['cod'],
  TOC: ['toc'],
  'N-NH4': ['nnh4', 'nh4', 'nh4+', 'amoni', 'nnh4+'],
  'N-NO3': ['nno3', 'no3', 'no3-', 'nitrat'],
  'N-NO2': ['nno2', 'no2', 'no2-', 'nitrit'],
  'P-PO4': ['ppo4', 'po4', 'po43-', 'phosphat', 'photphat'],
  Coliform: ['coliform', 'tongcoliform', 'coliforms'],
  'E.coli': ['ecoli'],
  As: ['as', 'asen'],
  Cd: ['cd', 'cadimi'],
  Pb: ['pb', 'chi'],
  Cr6: ['cr6', 'cr6+', 'crvi', 'crom6', 'cromvi'],
  Cu: ['cu', 'dong'],
  Zn: ['zn', 'kem'],
  Hg: ['hg', 'thuyngan'],
  Aldrin: ['aldrin'],
  BHC: ['bhc'],
  Dieldrin: ['dieldrin'],
  DDTs: ['ddts', 'ddt'],
  // One parameter in the decision: Heptachlor & Heptachlorepoxide (a file's two columns are added).
  Heptachlor: ['heptachlor', 'heptachlorepoxide', 'heptachlor&heptachlorepoxide'],
};

const fold = (s: string) => foldVi(s.normalize('NFC')).replace(/[\s._\-()]/g, '');

const BY_ALIAS = new Map<string, WaterKey>();
for (const [key, names] of Object.entries(ALIASES) as [WaterKey, string[]][]) for (const n of names) BY_ALIAS.set(n.replace(/[\s._\-()]/g, ''), key);

/**
 * The parameter a column header names (exactly, once folded: "Heptachlor" is not "Hepta"), or null. A header with a formula in brackets — "Amoni (NH4+)" — is read by its
 * name, else by the bracket.
 */
export function waterKeyOf(header: string): WaterKey | null {
  const whole = BY_ALIAS.get(fold(header));
  if (whole) return whole;
  const m = /^([^(]*)\(([^)]*)\)\s*$/.exec(header);
  return m ? (BY_ALIAS.get(fold(m[1]!)) ?? BY_ALIAS.get(fold(m[2]!)) ?? null) : null;
}

export const WATER_KEYS = Object.keys(ALIASES) as WaterKey[];

/** A unit as labs write it, or null when it is not one we can convert. Typos seen in real files ("MPN/100mg", "Cencisus") are read as meant. */
export function unitOf(text: string): WaterUnit | null {
  const t = text.normalize('NFC').trim().toLowerCase().replace(/\s/g, '').replace('μ', 'µ');
  if (!t || t === '-' || t === 'ph') return '';
  if (/^mg(o2)?\/(l|lit|lít)$/.test(t)) return 'mg/L';
  if (/^(µg|ug|mcg)\/(l|lit|lít)$/.test(t)) return 'µg/L';
  if (/^(mpn|cfu)\/100(ml|mg)$/.test(t)) return 'MPN/100mL';
  if (/^(°c|oc|0c|c|độc|celsius|cencisus|độ c)$/.test(t)) return '°C';
  return null;
}

/** A value in `from` as the parameter's own unit; null when the units cannot be converted into each other. */
export function toCanonical(key: WaterKey, value: number, from: WaterUnit): number | null {
  const to = canonicalUnit(key);
  if (from === to) return value;
  if (from === 'µg/L' && to === 'mg/L') return value / 1000;
  if (from === 'mg/L' && to === 'µg/L') return value * 1000;
  if (to === '' && from === '') return value;
  return null;
}
