import type { LoadStatus } from '../tables.js';
import type { DATASTORE_MESSAGES } from './messages.js';

type Key = keyof typeof DATASTORE_MESSAGES;
/** Field types in the reader's language. */
export const TYPE_KEY: Record<string, Key> = {
  string: 'dsTypeString',
  integer: 'dsTypeInteger',
  number: 'dsTypeNumber',
  boolean: 'dsTypeBoolean',
  date: 'dsTypeDate',
  datetime: 'dsTypeDatetime',
  object: 'dsTypeObject',
};
/** Load statuses in the reader's language. */
export const STATUS_KEY: Record<LoadStatus, Key> = {
  queued: 'dsStatusQueued',
  running: 'dsStatusRunning',
  loaded: 'dsStatusLoaded',
  checked: 'dsStatusChecked',
  invalid: 'dsStatusInvalid',
  failed: 'dsStatusFailed',
};
