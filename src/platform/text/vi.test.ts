import { describe, expect, it } from 'vitest';
import { cleanText, foldVi, slugify } from './index.js';

describe('Vietnamese text keys', () => {
  it('folds accents and đ without losing letters', () => {
    expect(foldVi('Ninh Thuận')).toBe('ninh thuan');
    expect(foldVi('Đà Lạt')).toBe('da lat');
    expect(foldVi('ĐỒNG THÁP')).toBe('dong thap');
  });
  it('gives NFC and NFD input the same key', () => {
    const nfd = 'Ninh Thuận'.normalize('NFD');
    expect(nfd.length).toBeGreaterThan('Ninh Thuận'.length);
    expect(foldVi(nfd)).toBe(foldVi('Ninh Thuận'));
  });
  it('stores NFC text', () => {
    expect(cleanText('  Ninh   Thuận '.normalize('NFD'))).toBe('Ninh Thuận');
    expect(cleanText('Thuận'.normalize('NFD')).length).toBe(5);
  });
  it('makes CKAN-style slugs', () => {
    expect(slugify('Sở Khoa học và Công nghệ')).toBe('so-khoa-hoc-va-cong-nghe');
    expect(slugify('UBND huyện Thuận Bắc')).toBe('ubnd-huyen-thuan-bac');
    expect(slugify('Đài Phát thanh và Truyền hình Ninh Thuận')).toBe('dai-phat-thanh-va-truyen-hinh-ninh-thuan');
  });
});
