import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SecretBox, secretBoxOf } from './secret-box.js';

describe('SecretBox', () => {
  it('seals with a fresh nonce each time, opens what it sealed, and refuses a changed value', () => {
    const box = SecretBox.fromKey(Buffer.alloc(32, 7));
    const a = box.seal('mật-khẩu-cơ-sở-dữ-liệu');
    const b = box.seal('mật-khẩu-cơ-sở-dữ-liệu');
    expect(a).not.toBe(b);
    expect(a).not.toContain('khẩu');
    expect(box.open(a)).toBe('mật-khẩu-cơ-sở-dữ-liệu');
    const raw = Buffer.from(a.slice(3), 'base64');
    raw.writeUInt8(raw.readUInt8(raw.length - 1) ^ 1, raw.length - 1);
    expect(() => box.open(`v1:${raw.toString('base64')}`)).toThrow();
    expect(() => SecretBox.fromKey(Buffer.alloc(32, 8)).open(a)).toThrow();
    expect(() => SecretBox.fromKey(Buffer.alloc(16))).toThrow(/32 bytes/);
  });

  it('makes a key file readable by its owner only, and uses it again', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinhso-key-'));
    const sealed = secretBoxOf({ secretKey: undefined, dataDir: dir }).seal('x');
    expect(fs.statSync(path.join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
    expect(secretBoxOf({ secretKey: undefined, dataDir: dir }).open(sealed)).toBe('x');
    const configured = secretBoxOf({ secretKey: Buffer.alloc(32, 1).toString('base64'), dataDir: dir });
    expect(() => configured.open(sealed)).toThrow();
    fs.rmSync(dir, { recursive: true });
  });
});
