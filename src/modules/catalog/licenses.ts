import fs from 'node:fs';

/** The licences datasets may carry (CKAN license_list shape). */
export interface License {
  id: string;
  title: string;
  url: string;
  od_conformance: 'approved' | 'not reviewed' | 'rejected';
  osd_conformance: 'approved' | 'not reviewed' | 'rejected';
  status: 'active' | 'deleted';
  is_okd_compliant: boolean;
  is_osi_compliant: boolean;
  domain_content: boolean;
  domain_data: boolean;
  domain_software: boolean;
  family: string;
  maintainer: string;
  /** CKAN's "Other (…)" entries: a kind of licence, with no document of its own. */
  is_generic?: boolean;
}

const base = (id: string, title: string, url: string, open: boolean, more: Partial<License> = {}): License => ({
  id,
  title,
  url,
  od_conformance: open ? 'approved' : 'not reviewed',
  osd_conformance: 'not reviewed',
  status: 'active',
  is_okd_compliant: open,
  is_osi_compliant: false,
  domain_content: true,
  domain_data: true,
  domain_software: false,
  family: '',
  maintainer: '',
  ...more,
});

/**
 * CKAN's default licence register (the 15 ids every CKAN knows, so real package dictionaries
 * load), the Vietnamese government-use licence, and whatever the operator adds from a file.
 */
export const LICENSES: License[] = [
  base('notspecified', 'License not specified', '', false, { is_generic: true }),
  base('odc-pddl', 'Open Data Commons Public Domain Dedication and License (PDDL)', 'https://opendatacommons.org/licenses/pddl/1-0/', true, {
    family: 'Open Data Commons',
  }),
  base('odc-odbl', 'Open Data Commons Open Database License (ODbL)', 'https://opendatacommons.org/licenses/odbl/1-0/', true, { family: 'Open Data Commons' }),
  base('odc-by', 'Open Data Commons Attribution License', 'https://opendatacommons.org/licenses/by/1-0/', true, { family: 'Open Data Commons' }),
  base('cc-zero', 'Creative Commons CCZero', 'https://creativecommons.org/publicdomain/zero/1.0/', true, { family: 'Creative Commons' }),
  base('cc-by', 'Creative Commons Attribution 4.0', 'https://creativecommons.org/licenses/by/4.0/', true, { family: 'Creative Commons' }),
  base('cc-by-sa', 'Creative Commons Attribution Share-Alike 4.0', 'https://creativecommons.org/licenses/by-sa/4.0/', true, { family: 'Creative Commons' }),
  base('gfdl', 'GNU Free Documentation License', 'https://www.gnu.org/licenses/fdl-1.3.html', true, { family: 'GNU' }),
  base('other-open', 'Other (Open)', '', true, { is_generic: true }),
  base('other-pd', 'Other (Public Domain)', '', true, { is_generic: true }),
  base('other-at', 'Other (Attribution)', '', true, { is_generic: true }),
  base('uk-ogl', 'UK Open Government Licence (OGL)', 'https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/', true, { family: 'OGL' }),
  base('cc-nc', 'Creative Commons Non-Commercial (Any)', 'https://creativecommons.org/licenses/by-nc/4.0/', false, { family: 'Creative Commons' }),
  base('other-nc', 'Other (Non-Commercial)', '', false, { is_generic: true }),
  base('other-closed', 'Other (Not Open)', '', false, { is_generic: true }),
  base('gov-use-only', 'Chỉ sử dụng trong cơ quan nhà nước / Government use only', '', false, { family: 'Tỉnh Số', domain_content: false }),
];

export const licenseById = (id: string | null | undefined): License | undefined => LICENSES.find((l) => l.id === id);

/** Licences an operator adds (or retitles) from a JSON list in CKAN's format: `[{"id", "title", "url"?, "od_conformance"?…}]`. */
export function readLicenseFile(file: string): License[] {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`licences file ${file}: ${(e as Error).message}`);
  }
  if (!Array.isArray(data)) throw new Error(`licences file ${file}: expected a JSON list`);
  return data.map((x: unknown, i) => {
    const o = (x ?? {}) as Record<string, unknown>;
    if (typeof o.id !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(o.id)) throw new Error(`licences file ${file}: entry ${i} has no valid "id"`);
    if (typeof o.title !== 'string' || !o.title.trim()) throw new Error(`licences file ${file}: entry ${i} (${o.id}) has no "title"`);
    const open = o.od_conformance === 'approved' || o.is_okd_compliant === true;
    return base(o.id, o.title.trim(), typeof o.url === 'string' ? o.url : '', open, {
      ...(typeof o.family === 'string' ? { family: o.family } : {}),
      ...(typeof o.maintainer === 'string' ? { maintainer: o.maintainer } : {}),
      ...(o.is_generic === true ? { is_generic: true } : {}),
    });
  });
}

/** Adds licences to the register (an existing id is replaced). */
export function addLicenses(list: License[]): void {
  for (const l of list) {
    const i = LICENSES.findIndex((x) => x.id === l.id);
    if (i >= 0) LICENSES[i] = l;
    else LICENSES.push(l);
  }
}
