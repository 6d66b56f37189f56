/** A band of an index: its range, name, colour (RGB, as the decision gives it) and what it means for people. */
export interface Category {
  key: string;
  min: number;
  max: number;
  name: { vi: string; en: string };
  rgb: [number, number, number];
  /** What the band means (air: for health; water: for use). */
  meaning: { vi: string; en: string };
  /** Advice for everyone and for sensitive groups (air only). */
  advice?: { general: { vi: string; en: string }; sensitive: { vi: string; en: string } };
}

const stayIn = {
  vi: 'Mọi người nên ở trong nhà, đóng cửa ra vào và cửa sổ. Nếu cần thiết phải ra ngoài, hãy đeo khẩu trang đạt tiêu chuẩn.',
  en: 'Everyone should stay indoors with doors and windows closed. If you must go out, wear a certified mask.',
};

/** Bảng 1 of QĐ 1459/QĐ-TCMT (VN_AQI), with the decision's health recommendations. */
export const AQI_CATEGORIES: readonly Category[] = [
  {
    key: 'good',
    min: 0,
    max: 50,
    name: { vi: 'Tốt', en: 'Good' },
    rgb: [0, 228, 0],
    meaning: { vi: 'Chất lượng không khí tốt, không ảnh hưởng tới sức khỏe.', en: 'Good air quality, no effect on health.' },
    advice: {
      general: { vi: 'Tự do thực hiện các hoạt động ngoài trời.', en: 'Enjoy outdoor activities freely.' },
      sensitive: { vi: 'Tự do thực hiện các hoạt động ngoài trời.', en: 'Enjoy outdoor activities freely.' },
    },
  },
  {
    key: 'moderate',
    min: 51,
    max: 100,
    name: { vi: 'Trung bình', en: 'Moderate' },
    rgb: [255, 255, 0],
    meaning: {
      vi: 'Chất lượng không khí ở mức chấp nhận được; người nhạy cảm (người già, trẻ em, người mắc bệnh hô hấp, tim mạch) có thể chịu những tác động nhất định tới sức khỏe.',
      en: 'Acceptable air quality; sensitive people (the elderly, children, people with respiratory or heart disease) may feel some effects on their health.',
    },
    advice: {
      general: { vi: 'Tự do thực hiện các hoạt động ngoài trời.', en: 'Enjoy outdoor activities freely.' },
      sensitive: {
        vi: 'Nên theo dõi các triệu chứng như ho hoặc khó thở, nhưng vẫn có thể hoạt động bên ngoài.',
        en: 'Watch for symptoms such as coughing or shortness of breath; outdoor activities are still possible.',
      },
    },
  },
  {
    key: 'poor',
    min: 101,
    max: 150,
    name: { vi: 'Kém', en: 'Poor' },
    rgb: [255, 126, 0],
    meaning: {
      vi: 'Người nhạy cảm gặp phải các vấn đề về sức khỏe, người bình thường ít bị ảnh hưởng.',
      en: 'Sensitive people have health problems; others are little affected.',
    },
    advice: {
      general: {
        vi: 'Những người có triệu chứng đau mắt, ho hoặc đau họng nên cân nhắc giảm các hoạt động ngoài trời.',
        en: 'People with sore eyes, a cough or a sore throat should consider doing less outdoors.',
      },
      sensitive: {
        vi: 'Nên giảm các hoạt động mạnh và giảm thời gian hoạt động ngoài trời; người mắc bệnh hen suyễn có thể cần dùng thuốc thường xuyên hơn.',
        en: 'Reduce strenuous activity and time outdoors; people with asthma may need their medication more often.',
      },
    },
  },
  {
    key: 'bad',
    min: 151,
    max: 200,
    name: { vi: 'Xấu', en: 'Bad' },
    rgb: [255, 0, 0],
    meaning: {
      vi: 'Người bình thường bắt đầu bị ảnh hưởng tới sức khỏe, người nhạy cảm có thể gặp những vấn đề sức khỏe nghiêm trọng hơn.',
      en: 'Everyone may begin to feel effects on their health; sensitive people may have more serious ones.',
    },
    advice: {
      general: {
        vi: 'Mọi người nên giảm các hoạt động mạnh khi ở ngoài trời, tránh tập thể dục kéo dài và nghỉ ngơi nhiều hơn trong nhà.',
        en: 'Everyone should reduce strenuous activity outdoors, avoid long exercise and rest more indoors.',
      },
      sensitive: {
        vi: 'Nên ở trong nhà và giảm hoạt động mạnh. Nếu cần thiết phải ra ngoài, hãy đeo khẩu trang đạt tiêu chuẩn.',
        en: 'Stay indoors and reduce strenuous activity. If you must go out, wear a certified mask.',
      },
    },
  },
  {
    key: 'very-bad',
    min: 201,
    max: 300,
    name: { vi: 'Rất xấu', en: 'Very bad' },
    rgb: [143, 63, 151],
    meaning: {
      vi: 'Cảnh báo sức khỏe: mọi người bị ảnh hưởng tới sức khỏe nghiêm trọng hơn.',
      en: 'Health warning: everyone may have more serious effects on their health.',
    },
    advice: {
      general: {
        vi: 'Mọi người hạn chế tối đa các hoạt động ngoài trời và chuyển các hoạt động vào trong nhà. Nếu cần thiết phải ra ngoài, hãy đeo khẩu trang đạt tiêu chuẩn.',
        en: 'Everyone should keep outdoor activity to a minimum and move activities indoors. If you must go out, wear a certified mask.',
      },
      sensitive: { vi: 'Nên ở trong nhà và giảm hoạt động mạnh.', en: 'Stay indoors and reduce strenuous activity.' },
    },
  },
  {
    key: 'hazardous',
    min: 301,
    max: 500,
    name: { vi: 'Nguy hại', en: 'Hazardous' },
    rgb: [126, 0, 35],
    meaning: {
      vi: 'Cảnh báo khẩn cấp về sức khỏe: toàn bộ dân số bị ảnh hưởng tới sức khỏe ở mức nghiêm trọng.',
      en: 'Health emergency: the whole population is seriously affected.',
    },
    advice: { general: stayIn, sensitive: stayIn },
  },
];

/** The bands of VN_WQI (QĐ 1460/QĐ-TCMT) with the use each allows. */
export const WQI_CATEGORIES: readonly Category[] = [
  {
    key: 'very-good',
    min: 91,
    max: 100,
    name: { vi: 'Rất tốt', en: 'Very good' },
    rgb: [51, 51, 255],
    meaning: { vi: 'Sử dụng tốt cho mục đích cấp nước sinh hoạt.', en: 'Good for drinking-water supply.' },
  },
  {
    key: 'good',
    min: 76,
    max: 90,
    name: { vi: 'Tốt', en: 'Good' },
    rgb: [0, 228, 0],
    meaning: {
      vi: 'Sử dụng cho mục đích cấp nước sinh hoạt nhưng cần các biện pháp xử lý phù hợp.',
      en: 'Usable for drinking-water supply with suitable treatment.',
    },
  },
  {
    key: 'medium',
    min: 51,
    max: 75,
    name: { vi: 'Trung bình', en: 'Medium' },
    rgb: [255, 255, 0],
    meaning: { vi: 'Sử dụng cho mục đích tưới tiêu và các mục đích tương đương khác.', en: 'For irrigation and similar uses.' },
  },
  {
    key: 'bad',
    min: 26,
    max: 50,
    name: { vi: 'Xấu', en: 'Bad' },
    rgb: [255, 126, 0],
    meaning: { vi: 'Sử dụng cho giao thông thủy và các mục đích tương đương khác.', en: 'For waterway transport and similar uses.' },
  },
  {
    key: 'poor',
    min: 10,
    max: 25,
    name: { vi: 'Kém', en: 'Poor' },
    rgb: [255, 0, 0],
    meaning: { vi: 'Nước ô nhiễm nặng, cần các biện pháp xử lý trong tương lai.', en: 'Heavily polluted water that will need treatment.' },
  },
  {
    key: 'very-heavily-polluted',
    min: 0,
    max: 9,
    name: { vi: 'Ô nhiễm rất nặng', en: 'Very heavily polluted' },
    rgb: [126, 0, 35],
    meaning: { vi: 'Nước nhiễm độc, cần có biện pháp khắc phục, xử lý.', en: 'Toxic water that needs remedial treatment.' },
  },
];

/** The band of a rounded AQI (above 500 is still Nguy hại). */
export const aqiCategory = (aqi: number): Category => AQI_CATEGORIES.find((c) => aqi <= c.max) ?? AQI_CATEGORIES.at(-1)!;

/** The band of a rounded WQI. */
export const wqiCategory = (wqi: number): Category => WQI_CATEGORIES.find((c) => wqi >= c.min) ?? WQI_CATEGORIES.at(-1)!;

/** "#rrggbb" of a band's colour. */
export const hex = (c: Category): string => `#${c.rgb.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
