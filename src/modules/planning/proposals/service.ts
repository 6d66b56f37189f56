import { recordAudit, type AuditActor } from '../../../platform/audit/index.js';
import { hashSecret, hasOrgRole, newSecret, secretMatches, type Principal } from '../../../platform/auth/index.js';
import type { Db } from '../../../platform/db/index.js';
import { badRequest, conflict, FieldErrors, notFound, unprocessable } from '../../../platform/http/index.js';
import type { JobQueue } from '../../../platform/jobs/index.js';
import { cleanMultiline, cleanText, isEmailAddress, parseNumber } from '../../../platform/text/index.js';
import { todayVn } from '../../admin-units/index.js';
import { planRepo } from '../plan/repository.js';
import { PLAN_CODE } from '../plan/reference.js';
import { reportRepo } from '../reports/repository.js';
import { requireReceiver } from '../reports/round.js';
import { PROPOSER_KINDS, type CouncilMemberRow, type ProposalRow, type ProposerKind, type RegimeRow } from '../tables.js';
import { COUNCIL_MIN, CRITERIA, PASS_MARK } from './criteria.js';
import { PROPOSAL_MAIL_JOB } from './mail.js';
import { expertsRepo, proposalsRepo } from './repository.js';

export interface ProposalInput {
  title?: string;
  objectives?: string;
  products?: string;
  budget?: number | string;
  durationMonths?: number | string;
  field?: string;
  proposerKind?: string;
  proposerName?: string;
  proposerEmail?: string;
  proposerOrg?: string | null;
}

const NOT_FOUND = { vi: 'Không có đề xuất này.', en: 'No such proposal.' };

/** The Department that receives the plan's reports also screens and decides proposals. */
export async function receiverRegime(db: Db): Promise<RegimeRow> {
  const plan = await planRepo.byCode(db, PLAN_CODE);
  const regime = plan ? await reportRepo.regimeOfPlan(db, plan.id) : undefined;
  if (!regime) throw notFound('plan_not_found', { vi: 'Không có kế hoạch này.', en: 'No such plan.' });
  return regime;
}

function cleanProposal(input: ProposalInput) {
  const errors = new FieldErrors();
  const req = (field: keyof ProposalInput, max: number, multiline = true): string => {
    const v = input[field];
    const t = typeof v === 'string' ? (multiline ? cleanMultiline(v) : cleanText(v)) : '';
    if (!t) errors.add(badRequest('required', { vi: 'Trường này là bắt buộc.', en: 'This field is required.' }, field));
    else if (t.length > max) errors.add(badRequest('too_long', { vi: 'Dài quá {max} ký tự.', en: 'Longer than {max} characters.' }, field, { max }));
    return t;
  };
  const num = (field: 'budget' | 'durationMonths', min: number, max: number, integer: boolean): number => {
    const raw = input[field];
    const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? parseNumber(raw) : null;
    if (n === null || Number.isNaN(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
      errors.add(
        badRequest(
          'invalid_number',
          integer
            ? { vi: 'Số nguyên từ {min} đến {max}.', en: 'A whole number from {min} to {max}.' }
            : { vi: 'Số từ {min} đến {max} (viết như 1.234,5).', en: 'A number from {min} to {max} (written like 1,234.5).' },
          field,
          { min, max },
        ),
      );
      return 0;
    }
    return n;
  };
  const out = {
    title: req('title', 500, false),
    objectives: req('objectives', 10_000),
    products: req('products', 10_000),
    budget_million: num('budget', 0, 1_000_000, false),
    duration_months: num('durationMonths', 1, 120, true),
    field: typeof input.field === 'string' ? cleanText(input.field).slice(0, 200) : '',
    proposer_kind: input.proposerKind as ProposerKind,
    proposer_name: req('proposerName', 200, false),
    proposer_email: typeof input.proposerEmail === 'string' ? input.proposerEmail.trim() : '',
    proposer_org: typeof input.proposerOrg === 'string' && input.proposerOrg.trim() ? cleanText(input.proposerOrg).slice(0, 300) : null,
  };
  if (!PROPOSER_KINDS.includes(out.proposer_kind))
    errors.add(
      badRequest('invalid_kind', { vi: 'Chọn tổ chức, doanh nghiệp hoặc cá nhân.', en: 'Choose organization, business or individual.' }, 'proposerKind'),
    );
  if (!isEmailAddress(out.proposer_email))
    errors.add(badRequest('invalid_email', { vi: 'Địa chỉ thư điện tử không hợp lệ.', en: 'Not a valid e-mail address.' }, 'proposerEmail'));
  if (out.proposer_kind !== 'individual' && PROPOSER_KINDS.includes(out.proposer_kind) && !out.proposer_org)
    errors.add(
      badRequest('required', { vi: 'Tổ chức, doanh nghiệp đề xuất cần tên đơn vị.', en: 'An organization or business needs its name.' }, 'proposerOrg'),
    );
  errors.throwIfAny();
  return out;
}

/**
 * A proposal from anyone (no account needed): it gets a code and a tracking link (the token is
 * returned once and mailed; stored hashed) and waits for the Department's screening.
 */
export async function submitProposal(db: Db, jobs: JobQueue, actor: AuditActor, input: ProposalInput): Promise<{ proposal: ProposalRow; token: string }> {
  const v = cleanProposal(input);
  const token = newSecret('');
  return db.transaction().execute(async (trx) => {
    const code = await proposalsRepo.nextCode(trx, Number(todayVn().slice(0, 4)));
    const proposal = await proposalsRepo.insert(trx, { ...v, budget_million: String(v.budget_million), code, track_token_hash: hashSecret(token) });
    await proposalsRepo.addEvent(trx, { proposal_id: proposal.id, action: 'submitted', note: null, actor_label: v.proposer_name });
    await jobs.enqueue(trx, PROPOSAL_MAIL_JOB, { proposalId: proposal.id, token }, null);
    await recordAudit(trx, actor, { action: 'planning.proposal.submit', entityType: 'plan_proposal', entityId: proposal.id, details: { code } });
    return { proposal, token };
  });
}

/** A proposal for the Department's staff, or for its proposer with the tracking token. */
export async function getProposal(db: Db, p: Principal, id: string, token?: string) {
  const row = await proposalsRepo.get(db, id);
  if (!row) throw notFound('proposal_not_found', NOT_FOUND);
  const regime = await receiverRegime(db);
  const staff = hasOrgRole(p, regime.receiver_org_id, 'member');
  const proposer = !!token && secretMatches(token, row.track_token_hash);
  if (!staff && !proposer) throw notFound('proposal_not_found', NOT_FOUND);
  const council = await proposalsRepo.council(db, id);
  const experts = new Map(
    (
      await expertsRepo.byIds(
        db,
        council.map((c) => c.expert_id),
      )
    ).map((e) => [e.id, e]),
  );
  const scores = await proposalsRepo.scores(db, id);
  return {
    proposal: row,
    staff,
    editor: hasOrgRole(p, regime.receiver_org_id, 'editor'),
    events: await proposalsRepo.events(db, id),
    council: council.map((c) => ({ ...c, expert: experts.get(c.expert_id)! })),
    scores,
    totals: totalsOf(council, scores),
  };
}

function totalsOf(council: CouncilMemberRow[], scores: { expert_id: string; score: string }[]) {
  const byExpert = new Map<string, number>();
  for (const s of scores) byExpert.set(s.expert_id, (byExpert.get(s.expert_id) ?? 0) + Number(s.score));
  const scored = council.filter((c) => byExpert.has(c.expert_id));
  const mean = scored.length ? scored.reduce((n, c) => n + byExpert.get(c.expert_id)!, 0) / scored.length : null;
  return {
    byExpert: Object.fromEntries(byExpert),
    scored: scored.length,
    members: council.length,
    mean: mean === null ? null : Math.round(mean * 100) / 100,
    passMark: PASS_MARK,
  };
}

/** The Department's list (its staff). */
export async function listProposals(db: Db, p: Principal): Promise<ProposalRow[]> {
  requireReceiver(p, await receiverRegime(db));
  return proposalsRepo.list(db);
}

async function editable(trx: Db, p: Principal, id: string, expect: ProposalRow['status'][]): Promise<ProposalRow> {
  requireReceiver(p, await receiverRegime(trx), 'editor');
  const row = await proposalsRepo.lock(trx, id);
  if (!row) throw notFound('proposal_not_found', NOT_FOUND);
  if (!expect.includes(row.status))
    throw conflict('proposal_state', { vi: 'Đề xuất đang ở bước khác ({status}).', en: 'The proposal is at another step ({status}).' }, undefined, {
      status: row.status,
    });
  return row;
}

const note = (v: unknown, max = 5000) => (typeof v === 'string' && v.trim() ? cleanMultiline(v).slice(0, max) : null);

/** Screening: it goes to a review council, or is screened out with a reason. */
export async function screenProposal(db: Db, p: Principal, actor: AuditActor, jobs: JobQueue, id: string, input: { accept?: boolean; note?: string | null }) {
  return db.transaction().execute(async (trx) => {
    const row = await editable(trx, p, id, ['submitted']);
    const reason = note(input.note);
    if (typeof input.accept !== 'boolean')
      throw badRequest('required', { vi: 'Chọn chuyển hội đồng hoặc loại.', en: 'Choose to accept or screen out.' }, 'accept');
    if (!input.accept && !reason)
      throw badRequest('required', { vi: 'Cần lý do khi loại đề xuất.', en: 'A reason is required to screen a proposal out.' }, 'note');
    const out = await proposalsRepo.update(trx, id, { status: input.accept ? 'in_review' : 'screened_out', screening_note: reason });
    await proposalsRepo.addEvent(trx, { proposal_id: id, action: input.accept ? 'screened_in' : 'screened_out', note: reason, actor_label: actor.label });
    if (!input.accept) await jobs.enqueue(trx, PROPOSAL_MAIL_JOB, { proposalId: id }, null);
    await recordAudit(trx, actor, {
      action: 'planning.proposal.screen',
      entityType: 'plan_proposal',
      entityId: id,
      details: { code: row.code, accept: input.accept },
    });
    return out;
  });
}

/** The review council: experts of the open groups, one chair, at least COUNCIL_MIN members. */
export async function setCouncil(db: Db, p: Principal, actor: AuditActor, id: string, input: { members?: { expert?: string; role?: string }[] }) {
  return db.transaction().execute(async (trx) => {
    const row = await editable(trx, p, id, ['in_review']);
    const members = Array.isArray(input.members) ? input.members : [];
    const errors = new FieldErrors();
    const ids = members.map((m) => (typeof m.expert === 'string' ? m.expert : ''));
    const known = new Map(
      (
        await expertsRepo.byIds(
          trx,
          ids.filter((x) => /^[0-9a-f-]{36}$/.test(x)),
        )
      ).map((e) => [e.id, e]),
    );
    members.forEach((m, i) => {
      const e = known.get(ids[i]!);
      if (!e || !e.active)
        errors.add(
          badRequest(
            'unknown_expert',
            { vi: 'Không có chuyên gia này trong các nhóm chuyên gia.', en: 'No such expert in the groups.' },
            `members.${i}.expert`,
          ),
        );
      if (m.role !== 'chair' && m.role !== 'member')
        errors.add(badRequest('invalid_role', { vi: 'Vai trò là chair hoặc member.', en: 'The role is chair or member.' }, `members.${i}.role`));
    });
    if (new Set(ids).size !== ids.length)
      errors.add(badRequest('duplicate_expert', { vi: 'Một chuyên gia có mặt hai lần.', en: 'An expert is listed twice.' }, 'members'));
    if (members.length < COUNCIL_MIN)
      errors.add(
        badRequest('council_too_small', { vi: 'Hội đồng cần ít nhất {n} thành viên.', en: 'A council needs at least {n} members.' }, 'members', {
          n: COUNCIL_MIN,
        }),
      );
    if (members.filter((m) => m.role === 'chair').length !== 1)
      errors.add(badRequest('one_chair', { vi: 'Hội đồng có đúng một chủ tịch.', en: 'A council has exactly one chair.' }, 'members'));
    errors.throwIfAny();
    const rows = members.map((m, i) => ({ proposal_id: id, expert_id: ids[i]!, role: m.role as 'chair' | 'member' }));
    await proposalsRepo.setCouncil(trx, id, rows);
    await proposalsRepo.clearScoresOutside(trx, id, ids);
    await proposalsRepo.addEvent(trx, { proposal_id: id, action: 'council', note: `${rows.length}`, actor_label: actor.label });
    await recordAudit(trx, actor, {
      action: 'planning.proposal.council',
      entityType: 'plan_proposal',
      entityId: id,
      details: { code: row.code, experts: ids },
    });
    return rows;
  });
}

/** A council member's scoring sheet, recorded by the Department: every criterion, within its maximum. */
export async function recordScores(
  db: Db,
  p: Principal,
  actor: AuditActor,
  id: string,
  expertId: string,
  input: { scores?: Record<string, unknown>; comment?: string | null },
) {
  return db.transaction().execute(async (trx) => {
    const row = await editable(trx, p, id, ['in_review']);
    const council = await proposalsRepo.council(trx, id);
    if (!council.some((c) => c.expert_id === expertId))
      throw badRequest(
        'not_in_council',
        { vi: 'Chuyên gia này không ở trong hội đồng của đề xuất.', en: 'This expert is not on the proposal’s council.' },
        'expert',
      );
    const errors = new FieldErrors();
    const scores = input.scores && typeof input.scores === 'object' ? input.scores : {};
    const rows = CRITERIA.map((c) => {
      const raw = scores[c.code];
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? parseNumber(raw) : null;
      if (n === null || Number.isNaN(n) || n < 0 || n > c.max)
        errors.add(badRequest('invalid_score', { vi: 'Điểm từ 0 đến {max}.', en: 'A score from 0 to {max}.' }, `scores.${c.code}`, { max: c.max }));
      return { proposal_id: id, expert_id: expertId, criterion: c.code, score: String(n ?? 0), comment: note(input.comment, 2000) };
    });
    for (const k of Object.keys(scores))
      if (!CRITERIA.some((c) => c.code === k))
        errors.add(badRequest('unknown_criterion', { vi: 'Không có tiêu chí này.', en: 'No such criterion.' }, `scores.${k}`));
    errors.throwIfAny();
    await proposalsRepo.setScores(trx, id, expertId, rows);
    await recordAudit(trx, actor, {
      action: 'planning.proposal.score',
      entityType: 'plan_proposal',
      entityId: id,
      details: { code: row.code, expert: expertId, total: rows.reduce((n, r) => n + Number(r.score), 0) },
    });
    return totalsOf(council, await proposalsRepo.scores(trx, id));
  });
}

/** The decision, once every council member has scored: approved or not, with the mean score kept. */
export async function decideProposal(db: Db, p: Principal, actor: AuditActor, jobs: JobQueue, id: string, input: { approved?: boolean; note?: string | null }) {
  return db.transaction().execute(async (trx) => {
    const row = await editable(trx, p, id, ['in_review']);
    if (typeof input.approved !== 'boolean') throw badRequest('required', { vi: 'Chọn phê duyệt hoặc không.', en: 'Choose to approve or not.' }, 'approved');
    const council = await proposalsRepo.council(trx, id);
    const totals = totalsOf(council, await proposalsRepo.scores(trx, id));
    if (council.length === 0 || totals.scored < totals.members)
      throw unprocessable('scores_missing', { vi: 'Còn {n} thành viên hội đồng chưa chấm điểm.', en: '{n} council members have not scored yet.' }, undefined, {
        n: Math.max(COUNCIL_MIN, totals.members) - totals.scored,
      });
    const out = await proposalsRepo.update(trx, id, {
      status: input.approved ? 'approved' : 'rejected',
      decision_note: note(input.note),
      mean_score: String(totals.mean),
      decided_at: new Date(),
    });
    await proposalsRepo.addEvent(trx, { proposal_id: id, action: input.approved ? 'approved' : 'rejected', note: note(input.note), actor_label: actor.label });
    await jobs.enqueue(trx, PROPOSAL_MAIL_JOB, { proposalId: id }, null);
    await recordAudit(trx, actor, {
      action: 'planning.proposal.decide',
      entityType: 'plan_proposal',
      entityId: id,
      details: { code: row.code, approved: input.approved, mean: totals.mean },
    });
    return out;
  });
}
