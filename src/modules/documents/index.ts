export { readEdxml, edxmlDate, STATUS_CODES, type EdxmlPackage, type Attachment, type SignatureInfo } from './edxml/read.js';
export { EdxmlError } from './edxml/errors.js';
export { signEdxml, verifyEdxml, MAX_SIGNED_BYTES, type VerifyResult, type SignerInfo } from './edxml/signature.js';
