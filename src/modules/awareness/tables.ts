import type { TableOf } from '../../platform/db/index.js';

export type PostKind = 'news' | 'event' | 'course' | 'contest';
export const POST_KINDS: readonly PostKind[] = ['news', 'event', 'course', 'contest'];
export type RegistrationStatus = 'confirmed' | 'waitlisted' | 'cancelled';

export interface PostRow {
  id: string;
  slug: string;
  kind: PostKind;
  org_id: string;
  title: string;
  title_en: string | null;
  summary: string;
  summary_en: string | null;
  body: string;
  body_en: string | null;
  starts_at: Date | null;
  ends_at: Date | null;
  place: string | null;
  capacity: number | null;
  registration_open: boolean;
  published_at: Date | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}
export interface RegistrationRow {
  id: string;
  post_id: string;
  name: string;
  email: string;
  affiliation: string | null;
  status: RegistrationStatus;
  cancel_token_hash: string;
  attended: boolean;
  created_at: Date;
  updated_at: Date;
}

export type AwarenessTables = {
  aw_post: TableOf<PostRow, 'id' | 'summary' | 'body' | 'registration_open' | 'created_at' | 'updated_at'>;
  aw_registration: TableOf<RegistrationRow, 'id' | 'attended' | 'created_at' | 'updated_at'>;
};
