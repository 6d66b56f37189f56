import crypto from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { EdxmlError } from './errors.js';
import { DSIG_NS } from './tree.js';

/**
 * XML-DSig of edXML packages, through xml-crypto (the maintained implementation of the W3C
 * canonicalisations and signature methods): an enveloped signature over the whole package
 * (Reference URI=""), as the packages in use carry it, placed at the end of edXMLHeader, with the
 * signer's certificate in KeyInfo. Outgoing: RSA-SHA256, exclusive C14N. Incoming: RSA with SHA-1
 * (old packages), SHA-256 or SHA-512. These read the package as a DOM: packages up to
 * `MAX_SIGNED_BYTES` (a streamed canonicaliser for larger ones is not built yet).
 */
export const MAX_SIGNED_BYTES = 100 * 1024 * 1024;
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';

export interface SignerInfo {
  subject: string;
  issuer: string;
  serialNumber: string;
  validFrom: string;
  validTo: string;
  fingerprint256: string;
}

export interface VerifyResult {
  valid: boolean;
  reason?: string;
  signatureMethod?: string;
  signer?: SignerInfo;
}

function guard(xml: string): void {
  if (Buffer.byteLength(xml) > MAX_SIGNED_BYTES) throw new EdxmlError('edXML', `larger than ${MAX_SIGNED_BYTES} bytes for a signature check`);
  if (/<!DOCTYPE/i.test(xml)) throw new EdxmlError('edXML', 'a DOCTYPE is not allowed (no DTDs, no entities)');
}

const signerOf = (certPem: string): SignerInfo => {
  const c = new crypto.X509Certificate(certPem);
  return { subject: c.subject, issuer: c.issuer, serialNumber: c.serialNumber, validFrom: c.validFrom, validTo: c.validTo, fingerprint256: c.fingerprint256 };
};

/** Signs a package (RSA-SHA256, exclusive C14N, enveloped, over the whole package). */
export function signEdxml(xml: string, keyPem: string, certPem: string): string {
  guard(xml);
  if (/<(\w+:)?Signature[\s>]/.test(xml.replace(/<[^>]*ContentTransferEncoded[\s\S]*?<\/[^>]*ContentTransferEncoded>/g, '')))
    throw new EdxmlError('edXMLHeader/Signature', 'the package is signed already');
  const sig = new SignedXml({ privateKey: keyPem, publicCert: certPem, signatureAlgorithm: RSA_SHA256, canonicalizationAlgorithm: EXC_C14N });
  sig.addReference({ xpath: '/*', transforms: [ENVELOPED, EXC_C14N], digestAlgorithm: SHA256, isEmptyUri: true });
  sig.computeSignature(xml, { location: { reference: "/*/*[local-name()='edXMLEnvelope']/*[local-name()='edXMLHeader']", action: 'append' } });
  return sig.getSignedXml();
}

/** Checks a package's XML-DSig signature with the certificate it carries; the reason when it fails. */
export function verifyEdxml(xml: string): VerifyResult {
  guard(xml);
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const all = Array.from(doc.getElementsByTagNameNS('*', 'Signature'));
  const sigs = all.filter((s) => s.namespaceURI === DSIG_NS);
  if (!sigs.length)
    return {
      valid: false,
      reason: all.length ? `the Signature element is not in the XML-DSig namespace (${DSIG_NS}), so no verifier finds it` : 'the package carries no signature',
    };
  if (sigs.length > 1) return { valid: false, reason: 'more than one Signature' };
  const sigNode = sigs[0]!;
  const certB64 = sigNode.getElementsByTagNameNS(DSIG_NS, 'X509Certificate')[0]?.textContent?.replace(/\s+/g, '');
  if (!certB64) return { valid: false, reason: 'no X509Certificate in KeyInfo' };
  const certPem = `-----BEGIN CERTIFICATE-----\n${certB64.replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;
  let signer: SignerInfo;
  try {
    signer = signerOf(certPem);
  } catch {
    return { valid: false, reason: 'the X509Certificate in KeyInfo cannot be read' };
  }
  const method = sigNode.getElementsByTagNameNS(DSIG_NS, 'SignatureMethod')[0]?.getAttribute('Algorithm') ?? '';
  const sig = new SignedXml({ publicCert: certPem, getCertFromKeyInfo: () => null });
  try {
    sig.loadSignature(sigNode as unknown as Parameters<SignedXml['loadSignature']>[0]);
    const valid = sig.checkSignature(xml);
    return valid ? { valid, signatureMethod: method, signer } : { valid, reason: 'the signature does not match the package', signatureMethod: method, signer };
  } catch (e) {
    return { valid: false, reason: `the signature does not match the package (${(e as Error).message})`, signatureMethod: method, signer };
  }
}
