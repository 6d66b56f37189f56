/**
 * What a review council scores an S&T task proposal on, each out of its maximum (100 in all), and
 * the mean total a proposal needs for the council to recommend it. The Department may change
 * these for its own rules; the decision is recorded by the Department either way.
 */
export const CRITERIA = [
  { code: 'necessity', name: 'Tính cấp thiết, phù hợp với Kế hoạch', nameEn: 'Need, and fit with the plan', max: 20 },
  { code: 'science', name: 'Tính mới, tính khoa học của nội dung', nameEn: 'Novelty and scientific merit', max: 25 },
  { code: 'feasibility', name: 'Tính khả thi của phương án và năng lực thực hiện', nameEn: 'Feasibility and capacity to deliver', max: 25 },
  { code: 'impact', name: 'Khả năng ứng dụng, hiệu quả kinh tế - xã hội', nameEn: 'Applicability and social and economic benefit', max: 20 },
  { code: 'budget', name: 'Tính hợp lý của kinh phí và thời gian', nameEn: 'Reasonable budget and duration', max: 10 },
] as const;
export type CriterionCode = (typeof CRITERIA)[number]['code'];
export const PASS_MARK = 70;
/** A council has a chair and at least this many members in all. */
export const COUNCIL_MIN = 3;
