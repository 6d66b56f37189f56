/** The plan's sectors, seeded as theme groups (CKAN groups) on every fresh database. */
export const THEMES: { name: string; title: string; title_en: string }[] = [
  { name: 'nong-nghiep', title: 'Nông nghiệp', title_en: 'Agriculture' },
  { name: 'du-lich', title: 'Du lịch', title_en: 'Tourism' },
  { name: 'giao-duc', title: 'Giáo dục', title_en: 'Education' },
  { name: 'y-te', title: 'Y tế', title_en: 'Health' },
  { name: 'giao-thong', title: 'Giao thông', title_en: 'Transport' },
  { name: 'an-ninh-quoc-phong', title: 'An ninh – quốc phòng', title_en: 'Security and defence' },
  { name: 'tai-nguyen-moi-truong', title: 'Tài nguyên – môi trường', title_en: 'Natural resources and environment' },
  { name: 'cong-nghiep-nang-luong', title: 'Công nghiệp – năng lượng', title_en: 'Industry and energy' },
  { name: 'thuong-mai', title: 'Thương mại', title_en: 'Trade' },
  { name: 'khoa-hoc-cong-nghe', title: 'Khoa học – công nghệ', title_en: 'Science and technology' },
  { name: 'hanh-chinh', title: 'Hành chính – dân cư', title_en: 'Administration and population' },
  { name: 'khac', title: 'Khác', title_en: 'Other' },
];
