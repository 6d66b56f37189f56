/**
 * Compiles the MIT-licensed administrative-unit sources into the reference data shipped with the
 * product (data/admin-units/units.json, links.json, SOURCES.md).
 *
 *   npx tsx scripts/build-admin-units.ts /work/shared/data/admin_units
 *
 * Inputs (see data/admin-units/SOURCES.md for repositories, commits and licences):
 *   thanglequoc_vn_units_simplified_2025-03.json   the pre-reform tree with vi + en names (MIT)
 *   dvhcvn2025_mapping_splits_old_to_new.json       old communes → new (MIT; 12 communes missing above)
 *   dvhcvn2025_mapping_merges_new_to_old.json       the new tree and new ← old links (MIT)
 *   dvhcvn2025_915_CTK-CSCL_province_codes_34.csv   the 34 new province codes (MIT; cross-check)
 * The GPL-3.0 dvhcvn_20250301_3level.json is deliberately NOT read.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { asciiVi, UNIT_TYPES, type UnitType } from '../src/modules/admin-units/fold.js';

type Level = 'province' | 'district' | 'commune';
type Row = [code: string, name: string, nameEn: string | null, level: Level, type: UnitType, parent: string | null, validFrom: string, validTo: string, source: string];
type LinkRow = [fromCode: string, fromValidFrom: string, toCode: string, toValidFrom: string, kind: 'full' | 'partial'];

const REFORM = '2025-07-01';
const OLD_FROM = '-infinity';
const NEW_TO = 'infinity';

interface TWard { Code: string; FullName: string; FullNameEn: string; DistrictCode: string }
interface TDistrict { Code: string; FullName: string; FullNameEn: string; ProvinceCode: string; Ward: TWard[] | null }
interface TProvince { Code: string; FullName: string; FullNameEn: string; District: TDistrict[] }
interface Splits { data: { level1_id: string; name: string; splits: { new_id: string; name: string }[]; level2s?: { level2_id: string; name: string }[]; level3s: { level3_id: string; name: string; splits: { new_id: string; name: string }[] }[] }[] }
interface MergeRef { old_id: string; name: string; type: 'full' | 'partial' }
interface Merges { data: { level1_id: string; name: string; merges: MergeRef[]; level2s: { level2_id: string; name: string; merges: MergeRef[] }[] }[] }

const nfc = (s: string): string => s.normalize('NFC').replace(/\s+/g, ' ').trim();
const TYPES_LONGEST_FIRST = [...UNIT_TYPES].sort((a, b) => b.length - a.length);

function typeOf(fullName: string): UnitType {
  const t = TYPES_LONGEST_FIRST.find((p) => fullName.startsWith(`${p} `));
  if (!t) throw new Error(`No administrative type prefix in "${fullName}"`);
  return t;
}

/** English name in thanglequoc's pattern, for units that source has no English name for. */
function deriveEnglish(fullName: string, type: UnitType): string {
  const bare = asciiVi(fullName.slice(type.length + 1));
  switch (type) {
    case 'Tỉnh':
      return `${bare} Province`;
    case 'Thành phố':
      return `${bare} City`;
    case 'Phường':
      return /^\d+$/.test(bare) ? `Ward ${bare}` : `${bare} Ward`;
    case 'Xã':
      return /^\d+$/.test(bare) ? `Commune ${bare}` : `${bare} Commune`;
    case 'Thị trấn':
      return `${bare} Township`;
    case 'Đặc khu':
      return `${bare} Special Zone`;
    case 'Quận':
    case 'Huyện':
      return `${bare} District`;
    case 'Thị xã':
      return `${bare} Town`;
  }
}

function readJson<T>(dir: string, file: string): T {
  return JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as T;
}

function assert(cond: unknown, msg: string): asserts cond {
  if (!cond) throw new Error(`Check failed: ${msg}`);
}

function main(): void {
  const src = process.argv[2];
  if (!src) throw new Error('usage: npx tsx scripts/build-admin-units.ts <dir with the admin_units sources>');
  const here = path.dirname(fileURLToPath(import.meta.url));
  const out = path.resolve(here, '..', 'data', 'admin-units');

  const thang = readJson<TProvince[]>(src, 'thanglequoc_vn_units_simplified_2025-03.json');
  const splits = readJson<Splits>(src, 'dvhcvn2025_mapping_splits_old_to_new.json');
  const merges = readJson<Merges>(src, 'dvhcvn2025_mapping_merges_new_to_old.json');
  const csv = fs.readFileSync(path.join(src, 'dvhcvn2025_915_CTK-CSCL_province_codes_34.csv'), 'utf8');

  // ---- the pre-reform tree (thanglequoc), valid until 2025-07-01 ----
  const rows: Row[] = [];
  const oldByCode = new Map<string, Row>();
  const add = (r: Row, index?: Map<string, Row>) => {
    rows.push(r);
    if (index) {
      assert(!index.has(r[0]), `duplicate code ${r[0]}`);
      index.set(r[0], r);
    }
  };
  const communeDistrict = new Map<string, { province: string; district: string }>();
  for (const p of thang) {
    const name = nfc(p.FullName);
    add([p.Code, name, nfc(p.FullNameEn), 'province', typeOf(name), null, OLD_FROM, REFORM, 'thanglequoc'], oldByCode);
    for (const d of p.District) {
      const dn = nfc(d.FullName);
      assert(d.ProvinceCode === p.Code, `district ${d.Code} province`);
      add([d.Code, dn, nfc(d.FullNameEn), 'district', typeOf(dn), p.Code, OLD_FROM, REFORM, 'thanglequoc'], oldByCode);
      for (const w of d.Ward ?? []) {
        const wn = nfc(w.FullName);
        assert(w.DistrictCode === d.Code, `ward ${w.Code} district`);
        add([w.Code, wn, nfc(w.FullNameEn), 'commune', typeOf(wn), d.Code, OLD_FROM, REFORM, 'thanglequoc'], oldByCode);
        communeDistrict.set(w.Code, { province: p.Code, district: d.Code });
      }
    }
  }

  // ---- the communes thanglequoc lacks, from splits.json. District: the district most of the other
  //      old communes merged into the same new commune(s) belong to (merges.json); if that is not
  //      decisive, the district of the nearest lower commune code of the same province. ----
  const mergedInto = new Map<string, string[]>(); // new commune → old codes
  for (const p of merges.data) for (const c of p.level2s) mergedInto.set(c.level2_id, c.merges.map((m) => m.old_id));
  const added: { code: string; name: string; district: string; rule: 'co-merged' | 'nearest-lower'; nearestLower: string }[] = [];
  for (const p of splits.data) {
    assert(oldByCode.has(p.level1_id), `splits province ${p.level1_id} known`);
    const provinceCommunes = [...communeDistrict.entries()].filter(([, v]) => v.province === p.level1_id).map(([c]) => c).sort();
    for (const c of p.level3s) {
      if (oldByCode.has(c.level3_id)) continue;
      const lower = provinceCommunes.filter((x) => x < c.level3_id).pop();
      assert(lower, `a lower commune code than ${c.level3_id} in province ${p.level1_id}`);
      const nearestLower = communeDistrict.get(lower)!.district;
      const votes = new Map<string, number>();
      for (const s of c.splits)
        for (const o of mergedInto.get(s.new_id) ?? []) {
          const d = communeDistrict.get(o);
          if (d && d.province === p.level1_id) votes.set(d.district, (votes.get(d.district) ?? 0) + 1);
        }
      const ranked = [...votes.entries()].sort((a, b) => b[1] - a[1]);
      const decisive = ranked.length > 0 && (ranked.length === 1 || ranked[0]![1] > ranked[1]![1]);
      const district = decisive ? ranked[0]![0] : nearestLower;
      const name = nfc(c.name);
      const type = typeOf(name);
      add([c.level3_id, name, deriveEnglish(name, type), 'commune', type, district, OLD_FROM, REFORM, 'dvhcvn2025-splits'], oldByCode);
      communeDistrict.set(c.level3_id, { province: p.level1_id, district });
      added.push({ code: c.level3_id, name, district, rule: decisive ? 'co-merged' : 'nearest-lower', nearestLower });
    }
  }

  // ---- the new tree (merges.json), valid from 2025-07-01 ----
  const newByCode = new Map<string, Row>();
  const csvCodes = new Map(
    csv
      .trim()
      .split(/\r?\n/)
      .slice(1)
      .map((line) => line.split(','))
      .map(([, code, name]) => [code!.trim(), nfc(name ?? '')] as const),
  );
  const links: LinkRow[] = [];
  const seenLink = new Set<string>();
  const link = (from: string, to: string, kind: 'full' | 'partial') => {
    assert(oldByCode.has(from), `old unit ${from} exists`);
    assert(newByCode.has(to), `new unit ${to} exists`);
    const k = `${from}>${to}`;
    if (seenLink.has(k)) return;
    seenLink.add(k);
    links.push([from, OLD_FROM, to, REFORM, kind]);
  };
  for (const p of merges.data) {
    const name = nfc(p.name);
    const type = typeOf(name);
    assert(type === 'Tỉnh' || type === 'Thành phố', `province type of ${name}`);
    const csvName = csvCodes.get(p.level1_id);
    assert(csvName !== undefined && name.endsWith(csvName), `915/CTK-CSCL lists ${p.level1_id} ${name} (csv: ${csvName})`);
    add([p.level1_id, name, deriveEnglish(name, type), 'province', type, null, REFORM, NEW_TO, 'dvhcvn2025-merges'], newByCode);
    for (const m of p.merges) link(m.old_id, p.level1_id, m.type);
    for (const c of p.level2s) {
      const cn = nfc(c.name);
      const ct = typeOf(cn);
      add([c.level2_id, cn, deriveEnglish(cn, ct), 'commune', ct, p.level1_id, REFORM, NEW_TO, 'dvhcvn2025-merges'], newByCode);
      for (const m of c.merges) link(m.old_id, c.level2_id, m.type);
    }
  }
  // splits.json must agree with merges.json (every old → new pair is in both)
  for (const p of splits.data) {
    for (const c of p.level3s) for (const s of c.splits) assert(seenLink.has(`${c.level3_id}>${s.new_id}`), `split ${c.level3_id}>${s.new_id} in merges`);
    for (const s of p.splits) assert(seenLink.has(`${p.level1_id}>${s.new_id}`), `province split ${p.level1_id}>${s.new_id} in merges`);
  }

  // ---- checks ----
  const count = (from: string, level: Level) => rows.filter((r) => r[6] === from && r[3] === level).length;
  assert(count(OLD_FROM, 'province') === 63, 'old provinces = 63');
  assert(count(OLD_FROM, 'district') === 696, 'old districts = 696');
  assert(count(OLD_FROM, 'commune') === 10047, 'old communes = 10,047');
  assert(count(REFORM, 'province') === 34, 'new provinces = 34');
  assert(count(REFORM, 'commune') === 3321, 'new communes = 3,321');
  assert(count(REFORM, 'district') === 0, 'no districts after the reform');
  assert(csvCodes.size === 34 && [...csvCodes.keys()].every((c) => newByCode.has(c)), '915/CTK-CSCL codes = new provinces');
  const nt = rows.filter((r) => r[6] === OLD_FROM && r[5] === '58');
  assert(nt.map((r) => r[0]).join() === '582,584,585,586,587,588,589', 'Ninh Thuận districts');
  const ntCodes = new Set(nt.map((r) => r[0]));
  const ntCommunes = rows.filter((r) => r[6] === OLD_FROM && r[5] !== null && ntCodes.has(r[5]));
  assert(ntCommunes.length === 62, 'Ninh Thuận communes = 62');
  const kh = rows.filter((r) => r[6] === REFORM && r[5] === '56');
  assert(kh.length === 65, 'new Khánh Hòa communes = 65');
  const ntCommuneCodes = new Set(ntCommunes.map((r) => r[0]));
  const khFromNt = kh.filter((r) => links.some((l) => l[2] === r[0] && ntCommuneCodes.has(l[0])));
  // The brief and /work/shared/data/SOURCES.md say 27; merges.json maps all 62 old Ninh Thuận
  // communes into 24 new ones (22738 … 22909 Xã Cà Ná). The data is kept as it is; see SOURCES.md.
  assert(khFromNt.length === 24, `new Khánh Hòa communes on former Ninh Thuận = 24 (got ${khFromNt.length})`);
  for (const r of rows) for (const s of [r[1], r[2] ?? '']) assert(s === s.normalize('NFC'), `NFC ${r[0]}`);

  // ---- write ----
  fs.mkdirSync(out, { recursive: true });
  const lines = (header: Record<string, unknown>, data: unknown[]) => {
    const head = JSON.stringify(header).slice(0, -1);
    return `${head},"rows":[\n${data.map((d) => JSON.stringify(d)).join(',\n')}\n]}\n`;
  };
  rows.sort((a, b) => (a[6] === b[6] ? 0 : a[6] === OLD_FROM ? -1 : 1) || a[0].length - b[0].length || a[0].localeCompare(b[0]));
  links.sort((a, b) => a[0].length - b[0].length || a[0].localeCompare(b[0]) || a[2].localeCompare(b[2]));
  const note = 'Generated by scripts/build-admin-units.ts; do not edit by hand. See SOURCES.md.';
  fs.writeFileSync(
    path.join(out, 'units.json'),
    lines({ note, columns: ['code', 'name', 'name_en', 'level', 'type', 'parent_code', 'valid_from', 'valid_to', 'source'] }, rows),
  );
  fs.writeFileSync(path.join(out, 'links.json'), lines({ note, columns: ['from_code', 'from_valid_from', 'to_code', 'to_valid_from', 'kind'] }, links));
  fs.writeFileSync(path.join(out, 'SOURCES.md'), sourcesMd(rows, links, added));
  const size = (f: string) => fs.statSync(path.join(out, f)).size;
  console.log(
    `units ${rows.length} (old ${rows.filter((r) => r[6] === OLD_FROM).length}, new ${rows.filter((r) => r[6] === REFORM).length}), links ${links.length}; ` +
      `units.json ${size('units.json')} B, links.json ${size('links.json')} B → ${out}`,
  );
}

function sourcesMd(rows: Row[], links: LinkRow[], added: { code: string; name: string; district: string; rule: string; nearestLower: string }[]): string {
  const byCode = new Map(rows.filter((r) => r[6] === OLD_FROM).map((r) => [r[0], r]));
  const kinds = (k: string) => links.filter((l) => l[4] === k).length;
  const perLevel = (from: string, level: Level) => rows.filter((r) => r[6] === from && r[3] === level).length;
  const linkLevels = (a: number, b: number) => links.filter((l) => l[0].length === a && l[2].length === b).length;
  return `# Administrative units: reference data

Generated by \`npx tsx scripts/build-admin-units.ts <dir>\` from the files below; do not edit
\`units.json\` or \`links.json\` by hand (fix the script or the sources and regenerate). All text is
Unicode NFC. Only MIT-licensed sources are used.

| file read | source repository | path | commit | licence |
|---|---|---|---|---|
| thanglequoc_vn_units_simplified_2025-03.json | ThangLeQuoc/vietnamese-provinces-database | json/simplified_json_generated_data_vn_units.json | fac63085ebd479633cfad284455df8f663eefb86 (2025-03-12) | MIT |
| dvhcvn2025_mapping_splits_old_to_new.json | dvhcvn/20250701 | mapping/splits.json | dd94887ce32324380bc5bb0a76fe39867dafc73b (2025-07-12) | MIT |
| dvhcvn2025_mapping_merges_new_to_old.json | dvhcvn/20250701 | mapping/merges.json | dd94887ce32324380bc5bb0a76fe39867dafc73b | MIT |
| dvhcvn2025_915_CTK-CSCL_province_codes_34.csv | dvhcvn/20250701 | input/docs/915_CTK-CSCL.csv | dd94887ce32324380bc5bb0a76fe39867dafc73b | MIT (repo); content is official letter 915/CTK-CSCL |

Copyright notices: ThangLeQuoc/vietnamese-provinces-database and dvhcvn/20250701 are distributed
under the MIT licence; keep their copyright and licence notices with redistributed copies.

Provenance warning (from the dvhcvn/20250701 README): its old→new links were extracted from the
resolutions (NQ 1654–1687/NQ-UBTVQH15, 60-NQ/TW, letters 915 and 1027/CTK-CSCL) with LLM prompts,
then schema- and citation-checked, fixed by hand in about 80 places and cross-checked against
sapnhap.bando.com.vn. It is a community dataset, not an official one: corrections are expected.

Not used: daohoangson/dvhcvn (GPL-3.0); nothing in these files is copied or derived from it.

Known source issue: thanglequoc names district 682 "Huyện Đạ Tẻh"; in the GSO list of 01/03/2025
code 682 is "Huyện Đạ Huoai" (the district formed from Đạ Huoai, Đạ Tẻh and Cát Tiên).
The name is shipped as the source has it; correct it in the source or in a later data fix.

Count note: the brief and the shared SOURCES.md say 27 new Khánh Hòa communes lie on the former
Ninh Thuận area; merges.json maps all 62 old Ninh Thuận communes into 24 new ones (22738 Phường Đô
Vinh … 22909 Xã Cà Ná). The data is shipped as it is.

## What the script derives

- **Pre-reform tree** (valid_from \`-infinity\`, valid_to 2025-07-01 exclusive; GSO codes as of
  01/03/2025): ${perLevel(OLD_FROM, 'province')} provinces, ${perLevel(OLD_FROM, 'district')} districts, ${perLevel(OLD_FROM, 'commune')} communes. Names, English names and the
  tree come from thanglequoc (source \`thanglequoc\`); the type is the name's prefix.
- **${added.length} communes missing from thanglequoc** are taken from splits.json (source
  \`dvhcvn2025-splits\`): code and name from splits.json, English name derived (see below). Their
  district is not in any MIT source, so the script infers it:
  1. **co-merged rule** (used when decisive): the district that most of the *other* old communes
     merged into the same new commune (merges.json) belong to in thanglequoc;
  2. otherwise the **nearest-lower rule**: the district of the nearest lower commune code of the same
     province in thanglequoc (GSO numbers communes roughly consecutively within a district).
  The nearest-lower rule alone was checked once by hand against the GSO list of 01/03/2025 and is
  wrong for 18448 Xã Bình Lộc (it gives 443 Huyện Can Lộc; the commune is in 445 Huyện Thạch Hà,
  whose codes are not consecutive: it also holds e.g. 18421, 18568, 18580). The co-merged rule
  gives the GSO district for all ${added.length}.
${added.map((a) => `  - ${a.code} ${a.name} → ${a.district} ${byCode.get(a.district)?.[1] ?? '?'} (${a.rule}${a.nearestLower !== a.district ? `; nearest-lower would give ${a.nearestLower}` : ''})`).join('\n')}
- **New tree** (valid_from 2025-07-01, valid_to \`infinity\`; two levels): ${perLevel(REFORM, 'province')} provinces,
  ${perLevel(REFORM, 'commune')} communes (parent = new province), from merges.json (source \`dvhcvn2025-merges\`). The
  34 province codes are cross-checked against 915/CTK-CSCL. The type is the name's prefix.
  English names are derived mechanically in thanglequoc's pattern (ASCII name + Province / City /
  Ward / Commune / Special Zone; "Ward 1" for numbered wards): they are not official.
- **Links** old → new (${links.length}: ${kinds('full')} full, ${kinds('partial')} partial) from merges.json: province → province
  (${linkLevels(2, 2)}), commune → commune (${linkLevels(5, 5)}), and district → commune (${linkLevels(3, 5)}, island districts
  that became special zones, e.g. 755 Huyện Côn Đảo → 26732 Đặc khu Côn Đảo). \`partial\` means only part of
  the old unit went into the new one. splits.json was checked to hold exactly the same pairs.
- Codes are reused across the reform (e.g. 56 Khánh Hòa, 22738 Phường Đô Vinh), so a unit version is
  identified by (code, valid_from).

## Files

- \`units.json\`: \`{columns, rows}\`; row = [code, name, name_en, level, type, parent_code, valid_from,
  valid_to, source]. Dates are ISO or \`-infinity\`/\`infinity\` (PostgreSQL date literals).
- \`links.json\`: \`{columns, rows}\`; row = [from_code, from_valid_from, to_code, to_valid_from, kind].
`;
}

main();
