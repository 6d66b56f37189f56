import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** `tinhso edxml inspect` in a child process, on status messages written here. */
const BIN = path.resolve('bin/tinhso.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinhso-edxml-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const status = (code: string) => `<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">
  <edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">
    <edXML:edXMLHeader>
      <edXML:MessageHeader>
        <edXML:From><edXML:OrganId>000.00.15.H58</edXML:OrganId><edXML:OrganName>Sở Tài nguyên và Môi trường</edXML:OrganName></edXML:From>
        <edXML:ResponseFor><edXML:OrganId>000.00.20.H58</edXML:OrganId><edXML:DocumentId>000.00.20.H58,2026/11/14,215/SKHCN-KHTC</edXML:DocumentId></edXML:ResponseFor>
        <edXML:StatusCode>${code}</edXML:StatusCode>
        <edXML:Description>Đã tiếp nhận</edXML:Description>
        <edXML:Timestamp>2026/11/14 10:00:00</edXML:Timestamp>
      </edXML:MessageHeader>
    </edXML:edXMLHeader>
  </edXML:edXMLEnvelope>
</edXML>`;

const tinhso = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, 'edxml', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const inspect = (name: string, xml: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, xml);
  return tinhso('inspect', file);
};

describe('tinhso edxml inspect', () => {
  it('prints a status message as JSON under the element names', () => {
    const r = inspect('status.edxml', status('03'));
    expect(r.code).toBe(0);
    const pkg = JSON.parse(r.out) as Record<string, unknown>;
    expect(pkg).toMatchObject({
      kind: 'status',
      StatusCode: '03',
      From: { OrganId: '000.00.15.H58' },
      ResponseFor: [{ DocumentId: '000.00.20.H58,2026/11/14,215/SKHCN-KHTC' }],
    });
  });

  it('answers a malformed package with status 02 and the element, and exit 1', () => {
    const r = inspect('bad.edxml', status('99'));
    expect(r.code).toBe(1);
    expect(r.err.trim()).toBe('02 MessageHeader/StatusCode: "99" is not a status of the standard (01, 02, 03, 04, 05, 06, 13, 15, 16)');
  });

  it('signs a package that verifies, and refuses it after a one-character change', () => {
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=Van thu'], {
      stdio: 'ignore',
    });
    fs.writeFileSync(path.join(dir, 'in.edxml'), status('05'));
    expect(tinhso('sign', '--key', key, '--cert', cert, path.join(dir, 'in.edxml'), path.join(dir, 'signed.edxml')).code).toBe(0);
    const ok = tinhso('verify', path.join(dir, 'signed.edxml'));
    expect([ok.code, ok.out]).toEqual([
      0,
      expect.stringMatching(/^valid signature \(http:\/\/www\.w3\.org\/2001\/04\/xmldsig-more#rsa-sha256\) by CN=Van thu/),
    ]);
    fs.writeFileSync(path.join(dir, 'changed.edxml'), fs.readFileSync(path.join(dir, 'signed.edxml'), 'utf8').replace('Đã tiếp nhận', 'Đã tiếp nhân'));
    const bad = tinhso('verify', path.join(dir, 'changed.edxml'));
    expect([bad.code, bad.err.trim()]).toEqual([1, 'invalid: the signature does not match the package']);
    expect(tinhso('verify', path.join(dir, 'in.edxml')).code).toBe(1);
  });
});
