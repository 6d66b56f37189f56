import type { Generated } from 'kysely';

export type HarvestType = 'ckan' | 'dcat';
export type HarvestSchedule = 'manual' | 'hourly' | 'daily' | 'weekly';
export const HARVEST_SCHEDULES: readonly HarvestSchedule[] = ['manual', 'hourly', 'daily', 'weekly'];

export interface HarvestSourceRow {
  id: string;
  name: string;
  title: string;
  type: HarvestType;
  url: string;
  owner_org: string;
  schedule: HarvestSchedule;
  fq: string | null;
  active: boolean;
  last_modified_seen: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface HarvestError {
  /** The remote dataset (id or name), when the error concerns one. */
  remote?: string;
  message: string;
}

export interface HarvestRunRow {
  id: string;
  source_id: string;
  job_id: string | null;
  mode: 'full' | 'incremental';
  status: 'queued' | 'running' | 'finished' | 'failed';
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  skipped: number;
  errors: HarvestError[];
  message: string | null;
  started_at: Date | null;
  finished_at: Date | null;
  created_at: Date;
}

type Gen<T, K extends keyof T> = Omit<T, K> & { [P in K]: Generated<T[P]> };

export type HarvestTables = {
  harvest_source: Gen<HarvestSourceRow, 'id' | 'schedule' | 'active' | 'created_at' | 'updated_at'>;
  harvest_run: Gen<HarvestRunRow, 'id' | 'status' | 'created' | 'updated' | 'unchanged' | 'deleted' | 'skipped' | 'errors' | 'created_at'>;
};
