import type { FieldSpec } from './write.js';

/**
 * Ready schemas for the sector databases the province's plan names: an editor creates an empty
 * shared table from one (datastore_create with `template`, or the native API), and the sector
 * software then pushes rows into it. Every template keys its rows and carries the commune code
 * (`ma_xa`, GSO code) it is shared by, so commune and district users see their own rows.
 */
export interface SectorTemplate {
  id: string;
  title: { vi: string; en: string };
  /** The catalogue's sector (group) it belongs to. */
  sector: string;
  fields: (FieldSpec & { type: string; info: { label: string } })[];
  primaryKey: string[];
  scopeColumn: string;
}

const f = (id: string, type: string, label: string) => ({ id, type, info: { label } });
const COMMUNE = [f('ma_xa', 'text', 'Mã xã (TCTK)'), f('ten_xa', 'text', 'Tên xã, phường')];
const POINT = [f('vi_do', 'float', 'Vĩ độ'), f('kinh_do', 'float', 'Kinh độ')];

export const SECTOR_TEMPLATES: SectorTemplate[] = [
  {
    id: 'nong-nghiep-san-xuat',
    title: { vi: 'Sản xuất nông nghiệp theo xã, cây trồng và mùa vụ', en: 'Agricultural production by commune, crop and season' },
    sector: 'nong-nghiep',
    fields: [
      ...COMMUNE,
      f('nam', 'int', 'Năm'),
      f('vu', 'text', 'Vụ (Đông Xuân, Hè Thu, Mùa)'),
      f('cay_trong', 'text', 'Cây trồng'),
      f('dien_tich_ha', 'numeric', 'Diện tích gieo trồng (ha)'),
      f('nang_suat_ta_ha', 'numeric', 'Năng suất (tạ/ha)'),
      f('san_luong_tan', 'numeric', 'Sản lượng (tấn)'),
    ],
    primaryKey: ['ma_xa', 'nam', 'vu', 'cay_trong'],
    scopeColumn: 'ma_xa',
  },
  {
    id: 'du-lich-luu-tru',
    title: { vi: 'Lượt khách và cơ sở lưu trú du lịch theo tháng', en: 'Tourist arrivals and accommodation by month' },
    sector: 'du-lich',
    fields: [
      f('thang', 'date', 'Tháng (ngày đầu tháng)'),
      f('ma_co_so', 'text', 'Mã cơ sở lưu trú'),
      f('ten_co_so', 'text', 'Tên cơ sở lưu trú'),
      f('loai_hinh', 'text', 'Loại hình (khách sạn, homestay, …)'),
      f('hang_sao', 'int', 'Hạng sao'),
      ...COMMUNE,
      f('so_phong', 'int', 'Số phòng'),
      f('luot_khach', 'int', 'Lượt khách'),
      f('luot_khach_quoc_te', 'int', 'Lượt khách quốc tế'),
      f('doanh_thu_trieu_dong', 'numeric', 'Doanh thu (triệu đồng)'),
    ],
    primaryKey: ['thang', 'ma_co_so'],
    scopeColumn: 'ma_xa',
  },
  {
    id: 'giao-duc-truong-hoc',
    title: { vi: 'Trường học, lớp và học sinh theo năm học', en: 'Schools, classes and students by school year' },
    sector: 'giao-duc',
    fields: [
      f('ma_truong', 'text', 'Mã trường'),
      f('ten_truong', 'text', 'Tên trường'),
      f('cap_hoc', 'text', 'Cấp học (mầm non, tiểu học, THCS, THPT)'),
      f('nam_hoc', 'text', 'Năm học (2025-2026)'),
      ...COMMUNE,
      f('so_lop', 'int', 'Số lớp'),
      f('so_hoc_sinh', 'int', 'Số học sinh'),
      f('so_hoc_sinh_nu', 'int', 'Số học sinh nữ'),
      f('so_giao_vien', 'int', 'Số giáo viên'),
    ],
    primaryKey: ['ma_truong', 'nam_hoc'],
    scopeColumn: 'ma_xa',
  },
  {
    id: 'y-te-co-so',
    title: { vi: 'Cơ sở khám bệnh, chữa bệnh', en: 'Health facilities' },
    sector: 'y-te',
    fields: [
      f('ma_co_so', 'text', 'Mã cơ sở (Bộ Y tế)'),
      f('ten_co_so', 'text', 'Tên cơ sở'),
      f('loai_hinh', 'text', 'Loại hình (bệnh viện, trạm y tế, phòng khám)'),
      ...COMMUNE,
      f('dia_chi', 'text', 'Địa chỉ'),
      f('so_giuong', 'int', 'Số giường bệnh'),
      f('so_bac_si', 'int', 'Số bác sĩ'),
      ...POINT,
    ],
    primaryKey: ['ma_co_so'],
    scopeColumn: 'ma_xa',
  },
  {
    id: 'giao-thong-ha-tang',
    title: { vi: 'Kết cấu hạ tầng giao thông: đường, cầu, điểm dừng xe buýt', en: 'Transport infrastructure: roads, bridges, bus stops' },
    sector: 'giao-thong',
    fields: [
      f('ma_cong_trinh', 'text', 'Mã công trình'),
      f('loai', 'text', 'Loại (đường, cầu, điểm dừng xe buýt)'),
      f('ten', 'text', 'Tên'),
      ...COMMUNE,
      f('cap_quan_ly', 'text', 'Cấp quản lý (quốc lộ, tỉnh lộ, huyện, xã)'),
      f('chieu_dai_km', 'numeric', 'Chiều dài (km)'),
      f('tai_trong_tan', 'numeric', 'Tải trọng (tấn)'),
      f('tinh_trang', 'text', 'Tình trạng'),
      ...POINT,
    ],
    primaryKey: ['ma_cong_trinh'],
    scopeColumn: 'ma_xa',
  },
  {
    id: 'moi-truong-diem-quan-trac',
    title: { vi: 'Điểm quan trắc môi trường', en: 'Environmental monitoring points' },
    sector: 'tai-nguyen-moi-truong',
    fields: [
      f('ma_diem', 'text', 'Mã điểm quan trắc'),
      f('ten_diem', 'text', 'Tên điểm'),
      f('loai', 'text', 'Loại (không khí, nước mặt, nước ngầm, nước biển ven bờ)'),
      ...COMMUNE,
      f('tan_suat', 'text', 'Tần suất (tự động, hằng tháng, hằng quý)'),
      f('thong_so', '_text', 'Thông số quan trắc'),
      ...POINT,
      f('bat_dau', 'date', 'Ngày bắt đầu quan trắc'),
    ],
    primaryKey: ['ma_diem'],
    scopeColumn: 'ma_xa',
  },
];

export const templateById = (id: string): SectorTemplate | undefined => SECTOR_TEMPLATES.find((t) => t.id === id);
