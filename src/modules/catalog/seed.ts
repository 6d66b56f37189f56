import type { Db } from '../../platform/db/index.js';
import { groupRepo } from './repository.js';
import { THEMES } from './themes.js';

/** Theme groups (the plan's sectors) exist in every database. */
export async function seedThemes(db: Db): Promise<void> {
  await groupRepo.insertMissing(
    db,
    THEMES.map((t) => ({ ...t, is_theme: true })),
  );
}
