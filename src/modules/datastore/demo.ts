import type { Db } from '../../platform/db/index.js';
import type { FileStore } from '../../platform/storage/index.js';

/** Demo data: filled in below. */
export async function seedDatastoreDemo(_db: Db, _ctx: { files: FileStore }): Promise<void> {}
