import type { Generated } from 'kysely';
import type { TableOf } from '../../platform/db/index.js';

export type AssignmentRole = 'lead' | 'coordinate';
export type ReportStatus = 'draft' | 'submitted' | 'returned' | 'accepted';
export const REPORT_STATUSES: readonly ReportStatus[] = ['draft', 'submitted', 'returned', 'accepted'];
export type TaskStatus = 'not_started' | 'in_progress' | 'done' | 'overdue';
export const TASK_STATUSES: readonly TaskStatus[] = ['not_started', 'in_progress', 'done', 'overdue'];
export type Frequency = 'monthly' | 'quarterly' | 'semiannual' | 'annual' | 'thematic' | 'adhoc';
export type RoundKind = 'periodic' | 'thematic' | 'adhoc';

export interface PlanRow {
  id: string;
  code: string;
  title: string;
  title_en: string | null;
  issuer_org_id: string | null;
  decision_ref: string | null;
  issued_on: string | null;
  first_year: number;
  last_year: number;
  created_at: Date;
}
export interface PlanVersionRow {
  plan_id: string;
  version: number;
  note: string;
  decision_ref: string | null;
  effective_from: string;
  created_at: Date;
  created_by: string | null;
}
export interface GroupRow {
  id: string;
  plan_id: string;
  code: string;
  position: number;
  title: string;
  title_en: string | null;
}
export interface TaskRow {
  id: string;
  plan_id: string;
  group_id: string | null;
  ref: string;
  position: number;
  heading: string;
  text: string;
  version_from: number;
  version_to: number | null;
  replaces_id: string | null;
}
export interface AssignmentRow {
  id: string;
  task_id: string;
  org_id: string;
  role: AssignmentRole;
  valid_from: string;
  valid_to: string | null;
  succeeds_id: string | null;
  note: string | null;
}
export interface IndicatorRow {
  id: string;
  plan_id: string;
  code: string;
  scope: 'national' | 'province';
  name: string;
  name_en: string | null;
  unit: string;
  unit_en: string | null;
  direction: 'up' | 'down';
  baseline: string | null;
  baseline_year: number | null;
  responsible_org_id: string | null;
  source: 'entered' | 'computed';
  compute_key: string | null;
  note: string | null;
}
export interface RegimeRow {
  id: string;
  code: string;
  plan_id: string | null;
  name: string;
  name_en: string | null;
  content: string;
  senders: string;
  receiver_org_id: string;
  channel: 'electronic' | 'paper' | 'both';
  frequency: Frequency;
  cutoff_from_month: number;
  cutoff_from_day: number;
  cutoff_to_month: number;
  cutoff_to_day: number;
  deadline_month: number;
  deadline_day: number;
  reminder_days: number[];
  outline: string;
  template: Buffer | null;
  created_at: Date;
}
export interface RoundRow {
  id: string;
  regime_id: string;
  kind: RoundKind;
  year: number;
  title: string;
  period_from: string;
  period_to: string;
  deadline: string;
  published: boolean;
  created_at: Date;
}
export interface ReportRow {
  id: string;
  round_id: string;
  org_id: string;
  status: ReportStatus;
  return_reason: string | null;
  first_submitted_at: Date | null;
  submitted_at: Date | null;
  accepted_at: Date | null;
  updated_at: Date;
}
export interface EvidenceLink {
  label: string;
  url: string;
}
export interface SectionRow {
  report_id: string;
  task_id: string;
  status: TaskStatus | null;
  done: string | null;
  results: string | null;
  difficulties: string | null;
  proposals: string | null;
  evidence: EvidenceLink[];
  return_reason: string | null;
}
export interface ValueRow {
  report_id: string;
  indicator_id: string;
  value: string | null;
  note: string | null;
}
export interface ReportEventRow {
  id: string;
  report_id: string;
  at: Date;
  actor_id: string | null;
  actor_label: string | null;
  action: string;
  details: Record<string, unknown>;
}
export interface ConsolidatedRow {
  round_id: string;
  number_symbol: string;
  place: string;
  doc_date: string | null;
  summary: string;
  assessment: string;
  recommendations: string;
  recipients: string[];
  signer_title: string;
  signer_name: string;
  finalised_at: Date | null;
  finalised_by: string | null;
  updated_at: Date;
}

export type ProposalStatus = 'submitted' | 'screened_out' | 'in_review' | 'approved' | 'rejected';
export type ProposerKind = 'organization' | 'business' | 'individual';
export const PROPOSER_KINDS: readonly ProposerKind[] = ['organization', 'business', 'individual'];
export interface ExpertRow {
  id: string;
  name: string;
  email: string | null;
  field: string;
  affiliation: string;
  in_province: boolean;
  active: boolean;
  created_at: Date;
}
export interface ProposalRow {
  id: string;
  code: string;
  title: string;
  objectives: string;
  products: string;
  budget_million: string;
  duration_months: number;
  field: string;
  proposer_kind: ProposerKind;
  proposer_name: string;
  proposer_email: string;
  proposer_org: string | null;
  status: ProposalStatus;
  screening_note: string | null;
  decision_note: string | null;
  mean_score: string | null;
  decided_at: Date | null;
  track_token_hash: string;
  created_at: Date;
  updated_at: Date;
}
export interface CouncilMemberRow {
  proposal_id: string;
  expert_id: string;
  role: 'chair' | 'member';
}
export interface ScoreRow {
  proposal_id: string;
  expert_id: string;
  criterion: string;
  score: string;
  comment: string | null;
}
export interface ProposalEventRow {
  id: string;
  proposal_id: string;
  action: string;
  note: string | null;
  actor_label: string | null;
  at: Date;
}

export interface EvidenceFileRow {
  id: string;
  report_id: string;
  task_id: string;
  file_key: string;
  name: string;
  content_type: string;
  size: string;
  sha256: string;
  created_by: string | null;
  created_at: Date;
}

export type PlanningTables = {
  plan_report_file: TableOf<EvidenceFileRow, 'id' | 'created_at'>;
  plan_expert: TableOf<ExpertRow, 'id' | 'affiliation' | 'in_province' | 'active' | 'created_at'>;
  plan_proposal: TableOf<ProposalRow, 'id' | 'field' | 'status' | 'created_at' | 'updated_at'>;
  plan_council_member: CouncilMemberRow;
  plan_score: ScoreRow;
  plan_proposal_event: TableOf<ProposalEventRow, 'id' | 'at'>;
  plan: TableOf<PlanRow, 'id' | 'created_at'>;
  plan_version: TableOf<PlanVersionRow, 'created_at'>;
  plan_group: TableOf<GroupRow, 'id'>;
  plan_task: TableOf<TaskRow, 'id'>;
  plan_assignment: TableOf<AssignmentRow, 'id' | 'valid_from'>;
  plan_indicator: TableOf<IndicatorRow, 'id' | 'direction'>;
  plan_indicator_target: { indicator_id: string; year: number; target: string | number };
  plan_indicator_value: { indicator_id: string; year: number; value: string | number; computed_at: Generated<Date> };
  plan_regime: TableOf<
    RegimeRow,
    'id' | 'created_at' | 'cutoff_from_month' | 'cutoff_from_day' | 'cutoff_to_month' | 'cutoff_to_day' | 'reminder_days' | 'template'
  >;
  plan_round: TableOf<RoundRow, 'id' | 'created_at' | 'published'>;
  plan_report: TableOf<ReportRow, 'id' | 'status' | 'updated_at'>;
  plan_report_section: Omit<SectionRow, 'evidence'> & { evidence: Generated<EvidenceLink[]> };
  plan_report_value: ValueRow;
  plan_report_event: TableOf<ReportEventRow, 'id' | 'at'>;
  plan_reminder: { round_id: string; org_id: string; kind: string; sent_at: Generated<Date>; recipients: number };
  plan_consolidated: TableOf<
    ConsolidatedRow,
    'number_symbol' | 'place' | 'summary' | 'assessment' | 'recommendations' | 'recipients' | 'signer_title' | 'signer_name' | 'updated_at'
  >;
  organization: { id: string; slug: string; name: string; name_en: string | null; kind: string; parent_id: string | null; admin_unit_code: string | null };
  org_member: { org_id: string; user_id: string; role: string };
  app_user: { id: string; email: string; name: string; disabled: boolean };
};
