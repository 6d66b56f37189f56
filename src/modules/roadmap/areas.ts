import type { Msg } from '../../platform/i18n/index.js';

/**
 * The areas the province's plan announces that no module serves yet: each gets its place in the
 * navigation and an honest "coming" page. When a module arrives for an area, its entry moves out
 * of this list and into that module's `nav`.
 */
export interface Area {
  path: string;
  order: number;
  title: Msg;
  summary: Msg;
  offers: Msg[];
}

export const AREAS: readonly Area[] = [
  {
    path: '/map',
    order: 20,
    title: { vi: 'Bản đồ', en: 'Map' },
    summary: {
      vi: 'Bản đồ số của tỉnh: ranh giới hành chính, các lớp dữ liệu không gian và điểm quan tâm.',
      en: 'The province’s digital map: administrative boundaries, spatial data layers and points of interest.',
    },
    offers: [
      { vi: 'Ranh giới tỉnh, huyện, xã trước và sau sắp xếp 2025', en: 'Province, district and commune boundaries before and after the 2025 reform' },
      { vi: 'Lớp dữ liệu từ các bộ dữ liệu mở', en: 'Layers drawn from the open datasets' },
    ],
  },
  {
    path: '/tourism',
    order: 40,
    title: { vi: 'Du lịch', en: 'Tourism' },
    summary: {
      vi: 'Thông tin du lịch: điểm đến, lưu trú, sự kiện và số liệu thống kê du khách.',
      en: 'Tourism information: destinations, accommodation, events and visitor statistics.',
    },
    offers: [
      { vi: 'Danh mục điểm đến và cơ sở lưu trú', en: 'Directory of destinations and accommodation' },
      { vi: 'Thống kê lượt khách theo tháng', en: 'Monthly visitor statistics' },
    ],
  },
  {
    path: '/transport',
    order: 50,
    title: { vi: 'Giao thông', en: 'Transport' },
    summary: {
      vi: 'Dữ liệu giao thông: tuyến xe buýt, mạng lưới đường bộ và tình trạng công trình.',
      en: 'Transport data: bus routes, the road network and the status of works.',
    },
    offers: [
      { vi: 'Tuyến và lịch xe buýt (GTFS)', en: 'Bus routes and timetables (GTFS)' },
      { vi: 'Mạng lưới đường và công trình đang thi công', en: 'Road network and works in progress' },
    ],
  },
  {
    path: '/documents',
    order: 60,
    title: { vi: 'Văn bản', en: 'Documents' },
    summary: {
      vi: 'Văn bản quy phạm pháp luật và văn bản chỉ đạo điều hành của tỉnh, có thể tìm kiếm toàn văn.',
      en: 'The province’s legal and administrative documents, with full-text search.',
    },
    offers: [
      { vi: 'Tìm kiếm toàn văn tiếng Việt', en: 'Full-text search in Vietnamese' },
      { vi: 'Liên kết văn bản với cơ quan ban hành', en: 'Documents linked to their issuing agency' },
    ],
  },
];
