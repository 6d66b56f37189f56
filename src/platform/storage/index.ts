export { FileStore, TooLargeError, type StoredFile } from './file-store.js';
