/** The licences datasets may carry (CKAN license_list shape). */
export interface License {
  id: string;
  title: string;
  url: string;
  od_conformance: 'approved' | 'not reviewed';
  osd_conformance: 'approved' | 'not reviewed';
  status: 'active';
  is_okd_compliant: boolean;
  is_osi_compliant: boolean;
  domain_content: boolean;
  domain_data: boolean;
  domain_software: boolean;
  family: string;
  maintainer: string;
  is_generic?: boolean;
}

const open = (id: string, title: string, url: string, family: string): License => ({
  id,
  title,
  url,
  od_conformance: 'approved',
  osd_conformance: 'not reviewed',
  status: 'active',
  is_okd_compliant: true,
  is_osi_compliant: false,
  domain_content: true,
  domain_data: true,
  domain_software: false,
  family,
  maintainer: '',
});

export const LICENSES: License[] = [
  open('cc-by', 'Creative Commons Attribution 4.0', 'https://creativecommons.org/licenses/by/4.0/', 'Creative Commons'),
  open('cc-zero', 'Creative Commons CCZero', 'https://creativecommons.org/publicdomain/zero/1.0/', 'Creative Commons'),
  open('odc-odbl', 'Open Data Commons Open Database License (ODbL)', 'https://opendatacommons.org/licenses/odbl/1-0/', 'Open Data Commons'),
  {
    ...open('gov-use-only', 'Chỉ sử dụng trong cơ quan nhà nước / Government use only', '', 'Tỉnh Số'),
    od_conformance: 'not reviewed',
    is_okd_compliant: false,
    domain_content: false,
  },
  { ...open('notspecified', 'License not specified', '', ''), od_conformance: 'not reviewed', is_okd_compliant: false, is_generic: true },
];

export const licenseById = (id: string | null | undefined): License | undefined => LICENSES.find((l) => l.id === id);
