import { defineMessages, type Msg } from '../../../platform/i18n/index.js';
import type { ShellKey, View } from '../../../platform/web/index.js';
import type { AlertEventKind, AlertState, RuleKind, Severity } from '../tables.js';

/** What the warnings pages show. */
export const WARNINGS_MESSAGES = defineMessages({
  wrTitle: { vi: 'Cảnh báo môi trường', en: 'Environmental warnings' },
  wrLead: {
    vi: 'Cảnh báo ô nhiễm không khí theo VN_AQI, dự báo vượt ngưỡng và sự cố thiết bị quan trắc, theo các quy tắc của đơn vị vận hành.',
    en: 'Air pollution warnings by VN_AQI, forecasts above thresholds and monitoring equipment faults, by the operators’ rules.',
  },
  wrOpen: { vi: 'Đang cảnh báo', en: 'Current warnings' },
  wrHistory: { vi: 'Lịch sử', en: 'History' },
  wrNone: { vi: 'Không có cảnh báo nào.', en: 'No warnings.' },
  wrRule: { vi: 'Quy tắc', en: 'Rule' },
  wrStation: { vi: 'Trạm', en: 'Station' },
  wrState: { vi: 'Trạng thái', en: 'State' },
  wrSeverity: { vi: 'Mức độ', en: 'Severity' },
  wrOpened: { vi: 'Bắt đầu', en: 'Opened' },
  wrResolved: { vi: 'Kết thúc', en: 'Resolved' },
  wrDetail: { vi: 'Diễn giải', en: 'Detail' },
  wrLevel: { vi: 'Cấp chuyển', en: 'Escalation level' },
  wrPeak: { vi: 'Giá trị cao nhất', en: 'Peak' },
  wrAck: { vi: 'Xác nhận đã tiếp nhận', en: 'Acknowledge' },
  wrAckNote: { vi: 'Ghi chú (không bắt buộc)', en: 'Note (optional)' },
  wrAcked: { vi: 'Đã xác nhận cảnh báo.', en: 'The warning is acknowledged.' },
  wrFeeds: { vi: 'Theo dõi qua RSS, Atom (kèm bản tin CAP 1.2)', en: 'Follow by RSS or Atom (with CAP 1.2 messages)' },
  wrRules: { vi: 'Quy tắc cảnh báo', en: 'Warning rules' },
  wrNewRule: { vi: 'Thêm quy tắc', en: 'New rule' },
  wrSaved: { vi: 'Đã lưu quy tắc.', en: 'The rule is saved.' },
  wrName: { vi: 'Tên quy tắc', en: 'Rule name' },
  wrUnit: { vi: 'Đơn vị', en: 'Unit' },
  wrKind: { vi: 'Loại', en: 'Kind' },
  wrParameter: { vi: 'Thông số', en: 'Parameter' },
  wrThreshold: { vi: 'Ngưỡng', en: 'Threshold' },
  wrClear: { vi: 'Kết thúc khi dưới (mặc định: 90 % ngưỡng)', en: 'Over when below (default: 90 % of the threshold)' },
  wrWindow: { vi: 'Số giờ (mức tăng trong / dự báo trong / im lặng quá)', en: 'Hours (rise over / forecast within / silent for more than)' },
  wrEscalate: { vi: 'Chuyển cấp sau (phút) nếu chưa xác nhận', en: 'Escalate after (minutes) when not acknowledged' },
  wrAllStations: { vi: 'Mọi trạm', en: 'Every station' },
  wrPublic: { vi: 'Công bố cho người dân (bản đồ, RSS, CAP)', en: 'Public (map, RSS, CAP)' },
  wrEnabled: { vi: 'Đang áp dụng', en: 'Enabled' },
  wrSave: { vi: 'Lưu quy tắc', en: 'Save the rule' },
  wrNoUnits: { vi: 'Bạn chưa là biên tập viên của đơn vị nào.', en: 'You are not an editor of any unit.' },
  wrTimeline: { vi: 'Diễn biến', en: 'Timeline' },
  wrSubscriptions: { vi: 'Nhận cảnh báo', en: 'Warning subscriptions' },
  wrSubLead: {
    vi: 'Đăng ký của riêng bạn nhận mọi cảnh báo công khai; đăng ký của đơn vị (quản trị đơn vị lập) nhận mọi cảnh báo theo quy tắc của đơn vị.',
    en: 'Your own subscriptions get every public warning; a unit’s (made by its admins) get every warning of the unit’s rules.',
  },
  wrSubNone: { vi: 'Chưa có đăng ký nào.', en: 'No subscriptions yet.' },
  wrChannel: { vi: 'Kênh nhận', en: 'Channel' },
  wrAddress: { vi: 'Địa chỉ thư hoặc URL webhook', en: 'E-mail address or webhook URL' },
  wrMinSeverity: { vi: 'Từ mức độ', en: 'From severity' },
  wrFor: { vi: 'Cho', en: 'For' },
  wrMine: { vi: 'Riêng tôi', en: 'Myself' },
  wrSubscribe: { vi: 'Đăng ký', en: 'Subscribe' },
  wrUnsubscribe: { vi: 'Hủy', en: 'Remove' },
  wrSubAdded: { vi: 'Đã đăng ký nhận cảnh báo.', en: 'Subscribed.' },
  wrSubRemoved: { vi: 'Đã hủy đăng ký.', en: 'Subscription removed.' },
  wrSecret: {
    vi: 'Khóa ký webhook (chỉ hiện một lần; dùng để kiểm chữ ký x-tinhso-signature):',
    en: 'The webhook signing secret (shown once; it checks the x-tinhso-signature header):',
  },
});

export type WarningsView = View<keyof typeof WARNINGS_MESSAGES | ShellKey>;

export const STATE_LABEL: Record<AlertState, Msg> = {
  open: { vi: 'Đang mở', en: 'Open' },
  acknowledged: { vi: 'Đã xác nhận', en: 'Acknowledged' },
  resolved: { vi: 'Đã kết thúc', en: 'Resolved' },
};
export const SEVERITY_LABEL: Record<Severity, Msg> = {
  minor: { vi: 'Thấp', en: 'Minor' },
  moderate: { vi: 'Trung bình', en: 'Moderate' },
  severe: { vi: 'Nghiêm trọng', en: 'Severe' },
  extreme: { vi: 'Đặc biệt nghiêm trọng', en: 'Extreme' },
};
export const KIND_LABEL: Record<RuleKind, Msg> = {
  threshold: { vi: 'Vượt ngưỡng', en: 'Threshold' },
  rate: { vi: 'Tăng nhanh', en: 'Rate of change' },
  forecast: { vi: 'Dự báo vượt ngưỡng', en: 'Forecast exceedance' },
  fault: { vi: 'Sự cố thiết bị', en: 'Sensor fault' },
};
export const EVENT_LABEL: Record<AlertEventKind, Msg> = {
  opened: { vi: 'Bắt đầu', en: 'Opened' },
  escalated: { vi: 'Chuyển cấp', en: 'Escalated' },
  acknowledged: { vi: 'Xác nhận', en: 'Acknowledged' },
  resolved: { vi: 'Kết thúc', en: 'Resolved' },
};
