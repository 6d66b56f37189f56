export { SecretBox, secretBoxOf } from './secret-box.js';
export { webhookSignature } from './webhook-signature.js';
