export { readEdxml, edxmlDate, STATUS_CODES, type EdxmlPackage, type Attachment, type SignatureInfo } from './edxml/read.js';
export { EdxmlError } from './edxml/errors.js';
