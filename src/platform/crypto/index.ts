export { SecretBox, secretBoxOf } from './secret-box.js';
