/**
 * The coded values of electronic official documents: the kinds of administrative document of
 * Decree 30/2020/NĐ-CP (Appendix I, in its order: TypeDetail is the position in that list) and
 * the legal documents of the 2015 law, urgency (OtherInfo/Priority), secrecy, the status codes of
 * QCVN 102 and the business actions (Bussiness/BussinessDocType).
 */
export const ADMINISTRATIVE_TYPES = [
  'Nghị quyết (cá biệt)',
  'Quyết định (cá biệt)',
  'Chỉ thị',
  'Quy chế',
  'Quy định',
  'Thông cáo',
  'Thông báo',
  'Hướng dẫn',
  'Chương trình',
  'Kế hoạch',
  'Phương án',
  'Đề án',
  'Dự án',
  'Báo cáo',
  'Biên bản',
  'Tờ trình',
  'Hợp đồng',
  'Công văn',
  'Công điện',
  'Bản ghi nhớ',
  'Bản thỏa thuận',
  'Giấy ủy quyền',
  'Giấy mời',
  'Giấy giới thiệu',
  'Giấy nghỉ phép',
  'Phiếu gửi',
  'Phiếu chuyển',
  'Phiếu báo',
  'Thư công',
] as const;
export const LEGAL_TYPES = ['Luật', 'Nghị quyết', 'Nghị định', 'Quyết định', 'Thông tư', 'Chỉ thị'] as const;

export interface DocTypeChoice {
  /** DocumentType/Type: 1 administrative, 2 legal (quy phạm pháp luật). */
  type: '1' | '2';
  detail: string;
  name: string;
}

export const DOC_TYPES: DocTypeChoice[] = [
  ...ADMINISTRATIVE_TYPES.map((name, i) => ({ type: '1' as const, detail: String(i + 1), name })),
  ...LEGAL_TYPES.map((name, i) => ({ type: '2' as const, detail: String(i + 1), name })),
];
export const docTypeOf = (type: string, detail: string): DocTypeChoice | undefined => DOC_TYPES.find((t) => t.type === type && t.detail === detail);

/** OtherInfo/Priority. */
export const PRIORITIES: Record<string, { vi: string; en: string }> = {
  '0': { vi: 'Thường', en: 'Normal' },
  '1': { vi: 'Khẩn', en: 'Urgent' },
  '2': { vi: 'Thượng khẩn', en: 'Very urgent' },
  '3': { vi: 'Hỏa tốc', en: 'Immediate' },
  '4': { vi: 'Hỏa tốc hẹn giờ', en: 'Immediate, timed' },
};

/**
 * Secrecy (độ mật). Documents that hold state secrets do not travel over this network (the Law on
 * Protection of State Secrets 2018 requires an approved cryptographic channel): only “Thường” may
 * be sent; the others are refused at compose with that reason.
 */
export const SECRECY: Record<string, { vi: string; en: string }> = {
  '0': { vi: 'Thường', en: 'Not classified' },
  '1': { vi: 'Mật', en: 'Confidential' },
  '2': { vi: 'Tối mật', en: 'Secret' },
  '3': { vi: 'Tuyệt mật', en: 'Top secret' },
};

/** The status codes of QCVN 102 (business statuses, separate from transport receipts). */
export const STATUS: Record<string, { vi: string; en: string }> = {
  '01': { vi: 'Đã đến', en: 'Arrived' },
  '02': { vi: 'Từ chối tiếp nhận', en: 'Refused' },
  '03': { vi: 'Đã tiếp nhận, vào sổ', en: 'Accepted and registered' },
  '04': { vi: 'Phân công xử lý', en: 'Assigned' },
  '05': { vi: 'Đang xử lý', en: 'Being processed' },
  '06': { vi: 'Hoàn thành', en: 'Finished' },
  '13': { vi: 'Yêu cầu thu hồi / cập nhật', en: 'Recall or update requested' },
  '15': { vi: 'Đồng ý thu hồi / cập nhật', en: 'Recall or update accepted' },
  '16': { vi: 'Từ chối thu hồi / cập nhật', en: 'Recall or update refused' },
};

/** Bussiness/BussinessDocType. */
export const BUSINESS: Record<string, { vi: string; en: string }> = {
  '0': { vi: 'Văn bản mới', en: 'New document' },
  '1': { vi: 'Thu hồi', en: 'Recall' },
  '2': { vi: 'Cập nhật', en: 'Update' },
  '3': { vi: 'Thay thế', en: 'Replace' },
};

/**
 * What a recipient may set next, from where its document stands: processing moves forward
 * (03 → 04 → 05 → 06, steps may be skipped); 02 only before registering; a pending recall or
 * update (13) is answered with 15 or 16.
 */
export function nextStatuses(current: string | null, pending: boolean): string[] {
  if (pending) return ['15', '16'];
  const order = ['01', '03', '04', '05', '06'];
  const at = order.indexOf(current ?? '01');
  if (current === '02' || current === '06' || current === '15') return [];
  const forward = order.slice(Math.max(at, 0) + 1);
  return current === '01' || current === null ? ['02', ...forward] : forward;
}
