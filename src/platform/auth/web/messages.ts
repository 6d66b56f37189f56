import { defineMessages } from '../../i18n/index.js';
import type { ShellKey, View } from '../../web/index.js';

/** What the sign-in, users and tokens pages show. */
export const AUTH_MESSAGES = defineMessages({
  fieldPassword: { vi: 'Mật khẩu', en: 'Password' },
  fieldSysadmin: { vi: 'Quản trị hệ thống', en: 'System administrator' },
  fieldTokenName: { vi: 'Tên token', en: 'Token name' },
  fieldExpires: { vi: 'Thời hạn', en: 'Expires in' },
  fieldExpiresHint: { vi: 'Ví dụ 90d, 12h, 1y; để trống là không hết hạn', en: 'E.g. 90d, 12h, 1y; leave empty for no expiry' },
  loginTitle: { vi: 'Đăng nhập', en: 'Sign in' },
  loginIntro: { vi: 'Dành cho cán bộ quản trị và biên tập dữ liệu.', en: 'For administrators and data editors.' },
  loginFailed: { vi: 'Email hoặc mật khẩu không đúng. / Wrong e-mail or password.', en: 'Wrong e-mail or password. / Email hoặc mật khẩu không đúng.' },
  adminUsers: { vi: 'Người dùng', en: 'Users' },
  adminTokens: { vi: 'Token API', en: 'API tokens' },
  usersList: { vi: 'Danh sách người dùng ({n})', en: 'Users ({n})' },
  userCreate: { vi: 'Tạo người dùng', en: 'Create a user' },
  userCreated: { vi: 'Đã tạo người dùng {email}.', en: 'User {email} created.' },
  colEmail: { vi: 'Email', en: 'E-mail' },
  colRole: { vi: 'Vai trò', en: 'Role' },
  colStatus: { vi: 'Trạng thái', en: 'Status' },
  colCreated: { vi: 'Ngày tạo', en: 'Created' },
  colExpires: { vi: 'Hết hạn', en: 'Expires' },
  colLastUsed: { vi: 'Dùng lần cuối', en: 'Last used' },
  colPrefix: { vi: 'Tiền tố', en: 'Prefix' },
  roleSysadmin: { vi: 'Quản trị hệ thống', en: 'Sysadmin' },
  roleUser: { vi: 'Người dùng', en: 'User' },
  statusActive: { vi: 'Đang hoạt động', en: 'Active' },
  statusDisabled: { vi: 'Đã khóa', en: 'Disabled' },
  statusRevoked: { vi: 'Đã thu hồi', en: 'Revoked' },
  statusExpired: { vi: 'Đã hết hạn', en: 'Expired' },
  never: { vi: 'Không bao giờ', en: 'Never' },
  tokensList: { vi: 'Token của tôi', en: 'My tokens' },
  tokensEmpty: { vi: 'Bạn chưa có token nào.', en: 'You have no tokens yet.' },
  tokenCreate: { vi: 'Tạo token mới', en: 'Create a new token' },
  tokenCreated: { vi: 'Token mới của bạn', en: 'Your new token' },
  tokenOnce: {
    vi: 'Hãy sao chép token ngay bây giờ: nó chỉ được hiển thị một lần này.',
    en: 'Copy the token now: it is shown only this once.',
  },
  tokenValue: { vi: 'Giá trị token', en: 'Token value' },
  copy: { vi: 'Sao chép', en: 'Copy' },
  copied: { vi: 'Đã sao chép', en: 'Copied' },
  revoke: { vi: 'Thu hồi', en: 'Revoke' },
  revokeConfirm: {
    vi: 'Thu hồi token "{name}"? Các ứng dụng dùng token này sẽ mất quyền truy cập.',
    en: 'Revoke token "{name}"? Applications using it will lose access.',
  },
  tokenRevoked: { vi: 'Đã thu hồi token.', en: 'Token revoked.' },
});

export type AuthKey = keyof typeof AUTH_MESSAGES;

/** A view with the auth pages' messages. */
export type AuthView = View<AuthKey | ShellKey>;
