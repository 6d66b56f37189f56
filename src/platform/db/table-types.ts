import type { Generated } from 'kysely';

/** A table's Kysely type from its row type: the columns `K` are filled by the database (defaults, generated ids). */
export type TableOf<Row, K extends keyof Row> = Omit<Row, K> & { [P in K]: Generated<Row[P]> };
