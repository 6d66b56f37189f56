import { defineMessages } from '../../../platform/i18n/index.js';

/** What the air and water quality pages show. */
export const SENSORS_MESSAGES = defineMessages({
  envTitle: { vi: 'Chất lượng không khí và nước', en: 'Air and water quality' },
  envLead: {
    vi: 'Chỉ số chất lượng không khí VN_AQI theo giờ (QĐ 1459/QĐ-TCMT) tại các trạm quan trắc của tỉnh, cập nhật trực tiếp khi số liệu về.',
    en: 'The hourly VN_AQI air quality index (QĐ 1459/QĐ-TCMT) at the province’s monitoring stations, updated live as data arrives.',
  },
  envMap: { vi: 'Bản đồ trạm quan trắc', en: 'Map of monitoring stations' },
  envStations: { vi: 'Trạm quan trắc', en: 'Monitoring stations' },
  envStation: { vi: 'Trạm', en: 'Station' },
  envAqi: { vi: 'AQI', en: 'AQI' },
  envCategory: { vi: 'Mức', en: 'Band' },
  envDominant: { vi: 'Chất ô nhiễm chính', en: 'Dominant pollutant' },
  envUpdated: { vi: 'Giờ', en: 'Hour' },
  envNoData: { vi: 'chưa có số liệu', en: 'no data yet' },
  envStale: { vi: 'số liệu cũ', en: 'out of date' },
  envNone: {
    vi: 'Chưa có trạm quan trắc nào. Đơn vị vận hành thêm trạm qua SensorThings API (/v1.1) và gửi số liệu qua HTTP hoặc MQTT.',
    en: 'No monitoring stations yet. Operators add stations through the SensorThings API (/v1.1) and send data over HTTP or MQTT.',
  },
  envLive: { vi: 'Cập nhật trực tiếp', en: 'Live updates' },
  envBoundaryNote: {
    vi: 'Ranh giới: tỉnh Ninh Thuận và 7 huyện, thành phố trước ngày 01/07/2025 (nay thuộc tỉnh Khánh Hòa), nguồn gis.chinhphu.vn qua dvhcvn.',
    en: 'Boundaries: Ninh Thuận province and its 7 districts before 1 July 2025 (now part of Khánh Hòa), from gis.chinhphu.vn via dvhcvn.',
  },
  envLegend: { vi: 'Các mức VN_AQI', en: 'VN_AQI bands' },
  envApi: { vi: 'Dữ liệu mở: SensorThings API, MQTT và GeoJSON', en: 'Open data: SensorThings API, MQTT and GeoJSON' },
  stCurrent: { vi: 'AQI hiện tại', en: 'Current AQI' },
  stAdvice: { vi: 'Khuyến cáo', en: 'Advice' },
  stAdviceGeneral: { vi: 'Người bình thường', en: 'Everyone' },
  stAdviceSensitive: { vi: 'Người nhạy cảm', en: 'Sensitive groups' },
  stHourly: { vi: 'AQI giờ, 48 giờ gần nhất', en: 'Hourly AQI, last 48 hours' },
  stDaily: { vi: 'AQI ngày, 30 ngày gần nhất', en: 'Daily AQI, last 30 days' },
  stStreams: { vi: 'Thông số đo', en: 'Parameters measured' },
  stParameter: { vi: 'Thông số', en: 'Parameter' },
  stLatest: { vi: 'Giá trị mới nhất', en: 'Latest value' },
  stDownload: { vi: 'Tải CSV (30 ngày)', en: 'Download CSV (30 days)' },
  stNoHours: { vi: 'Chưa có số liệu trong khoảng này.', en: 'No data in this period.' },
  stTime: { vi: 'Thời gian', en: 'Time' },
  stDay: { vi: 'Ngày', en: 'Day' },
});
