import { defineMessages } from '../../platform/i18n/index.js';

/** What the administrative-units module shows on the home page. */
export const UNIT_MESSAGES = defineMessages({
  statDistricts: { vi: 'huyện, thành phố', en: 'districts and cities' },
  statCommunes: { vi: 'xã, phường, thị trấn', en: 'communes, wards and townships' },
  statUnitsNote: {
    vi: 'Đơn vị hành chính trước ngày 1/7/2025; sau sắp xếp, cấp huyện không còn và Ninh Thuận thuộc tỉnh Khánh Hòa.',
    en: 'Administrative units before 1 July 2025; since the reform there is no district level and Ninh Thuận is part of Khánh Hòa.',
  },
});
