import { spawnSync } from 'node:child_process';
import { makeKeyPair } from '../../../../test/helpers/keys.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SignedXml } from 'xml-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signEdxml, verifyEdxml } from './signature.js';

const STATUS = `<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">
  <edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">
    <edXML:edXMLHeader>
      <edXML:MessageHeader>
        <edXML:From><edXML:OrganId>000.00.15.H58</edXML:OrganId><edXML:OrganName>Sở Tài nguyên và Môi trường</edXML:OrganName></edXML:From>
        <edXML:ResponseFor><edXML:DocumentId>000.00.20.H58,2026/11/14,215/SKHCN-KHTC</edXML:DocumentId></edXML:ResponseFor>
        <edXML:StatusCode>03</edXML:StatusCode>
        <edXML:Description>Đã tiếp nhận, vào sổ</edXML:Description>
      </edXML:MessageHeader>
    </edXML:edXMLHeader>
  </edXML:edXMLEnvelope>
</edXML>`;

let dir: string;
let key: string;
let cert: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edxml-sig-'));
  ({ key, cert } = makeKeyPair(dir, '/CN=Van thu So TNMT/O=UBND tinh Ninh Thuan', 2));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Debian's xmlsec1 on a file: exit status 0 only for a valid signature. */
const xmlsec = (xml: string) => {
  const f = path.join(dir, `p${Math.random().toString(36).slice(2)}.xml`);
  fs.writeFileSync(f, xml);
  return spawnSync('xmlsec1', ['--verify', '--pubkey-cert-pem', path.join(dir, 'cert.pem'), f]).status;
};

describe('edXML signatures', () => {
  it('signs with RSA-SHA256 so that xmlsec1 and our verifier accept it, and a one-character change fails both', () => {
    const signed = signEdxml(STATUS, key, cert);
    expect(signed).toMatch(/<edXML:edXMLHeader>[\s\S]*<Signature xmlns="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#">[\s\S]*<\/edXML:edXMLHeader>/);
    expect(xmlsec(signed)).toBe(0);
    const r = verifyEdxml(signed);
    expect(r).toMatchObject({ valid: true, signatureMethod: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256' });
    expect(r.signer?.subject).toContain('CN=Van thu So TNMT');
    const changed = signed.replace('vào sổ', 'vào sở');
    expect(xmlsec(changed)).not.toBe(0);
    expect(verifyEdxml(changed)).toMatchObject({ valid: false, reason: expect.stringMatching(/does not match/) });
    expect(() => signEdxml(signed, key, cert)).toThrow(/signed already/);
  });

  it('verifies the RSA-SHA1 signatures of older packages (and SHA-512)', () => {
    for (const [method, digest] of [
      ['http://www.w3.org/2000/09/xmldsig#rsa-sha1', 'http://www.w3.org/2000/09/xmldsig#sha1'],
      ['http://www.w3.org/2001/04/xmldsig-more#rsa-sha512', 'http://www.w3.org/2001/04/xmlenc#sha512'],
    ] as const) {
      const sig = new SignedXml({
        privateKey: key,
        publicCert: cert,
        signatureAlgorithm: method,
        canonicalizationAlgorithm: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
      });
      sig.addReference({
        xpath: '/*',
        transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
        digestAlgorithm: digest,
        isEmptyUri: true,
      });
      sig.computeSignature(STATUS, { location: { reference: "//*[local-name()='edXMLHeader']", action: 'append' } });
      const signed = sig.getSignedXml();
      expect(xmlsec(signed), method).toBe(0);
      expect(verifyEdxml(signed), method).toMatchObject({ valid: true, signatureMethod: method });
    }
  });

  it('explains why a package cannot be verified', () => {
    expect(verifyEdxml(STATUS)).toEqual({ valid: false, reason: 'the package carries no signature' });
    // As in packages in use: a Signature left in edXML's default namespace.
    const misplaced = STATUS.replace('</edXML:edXMLHeader>', '<Signature><SignedInfo/></Signature></edXML:edXMLHeader>');
    expect(verifyEdxml(misplaced).reason).toMatch(/not in the XML-DSig namespace/);
    expect(() => verifyEdxml(`<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${STATUS.replace(/^<\?xml[^>]*>/, '')}`)).toThrow(/DOCTYPE/);
  });
});
