import { defineMessages, type Msg } from '../../../platform/i18n/index.js';
import type { ShellKey, View } from '../../../platform/web/index.js';
import type { PostKind, RegistrationStatus } from '../tables.js';

/** What the awareness pages show. */
export const AWARENESS_MESSAGES = defineMessages({
  awTitle: { vi: 'Tin tức và sự kiện về trí tuệ nhân tạo', en: 'AI news and events' },
  awLead: {
    vi: 'Tin tức, hội thảo, khóa tập huấn và cuộc thi về trí tuệ nhân tạo của tỉnh; đăng ký tham dự trực tuyến.',
    en: 'The province’s news, workshops, training courses and competitions about AI; register online.',
  },
  awAll: { vi: 'Tất cả', en: 'All' },
  awNone: { vi: 'Chưa có bài nào.', en: 'Nothing yet.' },
  awFeeds: { vi: 'Theo dõi qua RSS hoặc Atom', en: 'Follow by RSS or Atom' },
  awWhen: { vi: 'Thời gian', en: 'When' },
  awWhere: { vi: 'Địa điểm', en: 'Where' },
  awBy: { vi: 'Đơn vị tổ chức', en: 'Organized by' },
  awSeats: { vi: 'Còn {n} chỗ trên {total}', en: '{n} of {total} places left' },
  awFull: { vi: 'Đã hết chỗ: đăng ký sẽ vào danh sách chờ.', en: 'Full: a registration goes on the waiting list.' },
  awRegister: { vi: 'Đăng ký tham dự', en: 'Register' },
  awClosed: { vi: 'Sự kiện không nhận đăng ký.', en: 'Registration is closed.' },
  awName: { vi: 'Họ và tên', en: 'Full name' },
  awEmail: { vi: 'Thư điện tử', en: 'E-mail' },
  awAffiliation: { vi: 'Cơ quan, đơn vị (không bắt buộc)', en: 'Organization (optional)' },
  awConfirmed: {
    vi: 'Bạn đã được xác nhận chỗ. Thư xác nhận đã được gửi tới địa chỉ bạn đăng ký.',
    en: 'Your place is confirmed. A confirmation was sent to the address you gave.',
  },
  awWaitlisted: {
    vi: 'Đã hết chỗ: bạn ở vị trí số {n} trong danh sách chờ. Thư đã được gửi tới địa chỉ bạn đăng ký.',
    en: 'It is full: you are number {n} on the waiting list. A mail was sent to the address you gave.',
  },
  awCancelTitle: { vi: 'Hủy đăng ký', en: 'Cancel the registration' },
  awCancelAsk: {
    vi: 'Hủy đăng ký tham dự “{title}”? Chỗ của bạn sẽ dành cho người tiếp theo trong danh sách chờ.',
    en: 'Cancel your registration for “{title}”? Your place goes to the next person on the waiting list.',
  },
  awCancelDo: { vi: 'Hủy đăng ký', en: 'Cancel it' },
  awCancelled: { vi: 'Đã hủy đăng ký.', en: 'The registration is cancelled.' },
  awRegistrations: { vi: 'Danh sách đăng ký', en: 'Registrations' },
  awStatus: { vi: 'Tình trạng', en: 'Status' },
  awAttended: { vi: 'Có mặt', en: 'Attended' },
  awMarkAttended: { vi: 'Ghi có mặt', en: 'Mark attended' },
  awUnmark: { vi: 'Bỏ ghi', en: 'Unmark' },
  awNew: { vi: 'Đăng bài mới', en: 'New post' },
  awEdit: { vi: 'Sửa bài', en: 'Edit' },
  awKind: { vi: 'Loại', en: 'Kind' },
  awOrg: { vi: 'Đơn vị đăng', en: 'Publishing unit' },
  awFieldTitle: { vi: 'Tiêu đề', en: 'Title' },
  awFieldTitleEn: { vi: 'Tiêu đề tiếng Anh', en: 'Title in English' },
  awFieldSummary: { vi: 'Tóm tắt', en: 'Summary' },
  awFieldBody: { vi: 'Nội dung', en: 'Text' },
  awFieldBodyEn: { vi: 'Nội dung tiếng Anh', en: 'Text in English' },
  awFieldStarts: { vi: 'Bắt đầu (dd/mm/yyyy HH:mm)', en: 'Starts (dd/mm/yyyy HH:mm)' },
  awFieldEnds: { vi: 'Kết thúc (dd/mm/yyyy HH:mm)', en: 'Ends (dd/mm/yyyy HH:mm)' },
  awFieldPlace: { vi: 'Địa điểm', en: 'Place' },
  awFieldCapacity: { vi: 'Số chỗ (để trống: không giới hạn)', en: 'Places (empty: no limit)' },
  awFieldOpen: { vi: 'Nhận đăng ký', en: 'Take registrations' },
  awFieldPublished: { vi: 'Công bố', en: 'Published' },
  awSave: { vi: 'Lưu', en: 'Save' },
  awDraft: { vi: 'Bản nháp', en: 'Draft' },
  awMine: { vi: 'Bài của đơn vị bạn', en: 'Your units’ posts' },
});

export type AwarenessView = View<keyof typeof AWARENESS_MESSAGES | ShellKey>;

export const KIND_LABEL: Record<PostKind, Msg> = {
  news: { vi: 'Tin tức', en: 'News' },
  event: { vi: 'Sự kiện', en: 'Event' },
  course: { vi: 'Khóa tập huấn', en: 'Training course' },
  contest: { vi: 'Cuộc thi', en: 'Competition' },
};
export const STATUS_LABEL: Record<RegistrationStatus, Msg> = {
  confirmed: { vi: 'Đã xác nhận', en: 'Confirmed' },
  waitlisted: { vi: 'Danh sách chờ', en: 'Waiting list' },
  cancelled: { vi: 'Đã hủy', en: 'Cancelled' },
};
