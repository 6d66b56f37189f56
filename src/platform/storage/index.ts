export {
  LocalFileStore,
  TooLargeError,
  DEFAULT_NAMESPACE,
  STORAGE_SWEEP_JOB,
  SWEEP_GRACE_MS,
  UNCLAIMED_MS,
  type FileStore,
  type StoredFile,
} from './file-store.js';
export { claimFile, releaseFiles } from './ownership.js';
export { storageMigrations } from './migrations.js';
export { safeFilename, MAX_FILENAME } from './filename.js';
