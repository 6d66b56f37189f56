import { actorOf } from '../../../platform/auth/index.js';
import { SECURED, Type, type App } from '../../../platform/http/index.js';
import type { ModuleContext } from '../../../platform/module.js';
import type { ExpertRow, ProposalRow } from '../tables.js';
import { CRITERIA } from './criteria.js';
import { createExpert, listExperts, updateExpert, type ExpertInput } from './experts.js';
import { decideProposal, getProposal, listProposals, recordScores, screenProposal, setCouncil, submitProposal, type ProposalInput } from './service.js';

const tags = ['planning'];
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Str = Type.Optional(Type.Union([Type.String(), Type.Null()]));
const NumOrStr = Type.Optional(Type.Union([Type.Number(), Type.String()]));

export const presentExpert = (e: ExpertRow, withEmail = false) => ({
  id: e.id,
  name: e.name,
  field: e.field,
  affiliation: e.affiliation,
  inProvince: e.in_province,
  active: e.active,
  ...(withEmail ? { email: e.email } : {}),
});
export const presentProposal = (p: ProposalRow) => ({
  id: p.id,
  code: p.code,
  title: p.title,
  objectives: p.objectives,
  products: p.products,
  budgetMillion: Number(p.budget_million),
  durationMonths: p.duration_months,
  field: p.field,
  proposer: { kind: p.proposer_kind, name: p.proposer_name, email: p.proposer_email, organization: p.proposer_org },
  status: p.status,
  screeningNote: p.screening_note,
  decisionNote: p.decision_note,
  meanScore: p.mean_score === null ? null : Number(p.mean_score),
  decidedAt: p.decided_at?.toISOString() ?? null,
  createdAt: p.created_at.toISOString(),
});

/** S&T task proposals (anyone proposes; the Department screens, forms a council, records scores and decides) and the expert groups. */
export async function proposalRoutes(app: App, ctx: ModuleContext): Promise<void> {
  const { db, jobs } = ctx;
  const base = '/api/v1/planning/proposals';

  app.post<{ Body: ProposalInput }>(
    base,
    {
      schema: {
        tags,
        summary: 'Đề xuất nhiệm vụ KH&CN về trí tuệ nhân tạo (không cần tài khoản) / Propose an S&T task about AI (no account needed)',
        body: Type.Object(
          {
            title: Type.Optional(Type.String()),
            objectives: Type.Optional(Type.String()),
            products: Type.Optional(Type.String()),
            budget: NumOrStr,
            durationMonths: NumOrStr,
            field: Type.Optional(Type.String()),
            proposerKind: Type.Optional(Type.String()),
            proposerName: Type.Optional(Type.String()),
            proposerEmail: Type.Optional(Type.String()),
            proposerOrg: Str,
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => {
      const { proposal, token } = await submitProposal(db, jobs, actorOf(req), req.body);
      return reply.status(201).send({
        id: proposal.id,
        code: proposal.code,
        status: proposal.status,
        track: { url: `/plan/proposals/${proposal.id}?token=${encodeURIComponent(token)}`, token },
      });
    },
  );
  app.get(base, { schema: { tags, summary: 'Các đề xuất (Sở KH&CN) / The proposals (the Department)', security: SECURED } }, async (req) => ({
    proposals: (await listProposals(db, req.principal)).map(presentProposal),
  }));
  app.get<{ Params: { id: string }; Querystring: { token?: string } }>(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'Một đề xuất: người đề xuất (mã theo dõi) hoặc Sở KH&CN / A proposal: its proposer (tracking token) or the Department',
        params: Id,
        querystring: Type.Object({ token: Type.Optional(Type.String({ maxLength: 200 })) }),
      },
    },
    async (req) => {
      const v = await getProposal(db, req.principal, req.params.id, req.query.token);
      return {
        ...presentProposal(v.proposal),
        events: v.events.map((e) => ({ action: e.action, note: e.note, at: e.at.toISOString() })),
        // Who sits on the council and how each scored is the Department's; the proposer sees the outcome.
        ...(v.staff
          ? {
              council: v.council.map((c) => ({ role: c.role, expert: presentExpert(c.expert) })),
              scores: v.scores.map((s) => ({ expert: s.expert_id, criterion: s.criterion, score: Number(s.score), comment: s.comment })),
              totals: v.totals,
            }
          : {}),
      };
    },
  );
  app.post<{ Params: { id: string }; Body: { accept?: boolean; note?: string | null } }>(
    `${base}/:id/screening`,
    {
      schema: {
        tags,
        summary: 'Sàng lọc: chuyển hội đồng hoặc loại (kèm lý do) / Screening: to a council, or out with a reason',
        security: SECURED,
        params: Id,
        body: Type.Object({ accept: Type.Optional(Type.Boolean()), note: Str }, { additionalProperties: false }),
      },
    },
    async (req) => presentProposal(await screenProposal(db, req.principal, actorOf(req), jobs, req.params.id, req.body)),
  );
  app.put<{ Params: { id: string }; Body: { members?: { expert?: string; role?: string }[] } }>(
    `${base}/:id/council`,
    {
      schema: {
        tags,
        summary: 'Hội đồng tư vấn từ các nhóm chuyên gia / The review council from the expert groups',
        security: SECURED,
        params: Id,
        body: Type.Object(
          {
            members: Type.Optional(
              Type.Array(Type.Object({ expert: Type.Optional(Type.String()), role: Type.Optional(Type.String()) }, { additionalProperties: false }), {
                maxItems: 30,
              }),
            ),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => ({
      members: (await setCouncil(db, req.principal, actorOf(req), req.params.id, req.body)).map((m) => ({ expert: m.expert_id, role: m.role })),
    }),
  );
  app.put<{ Params: { id: string; expert: string }; Body: { scores?: Record<string, unknown>; comment?: string | null } }>(
    `${base}/:id/scores/:expert`,
    {
      schema: {
        tags,
        summary: `Phiếu chấm của một thành viên hội đồng (tiêu chí: ${CRITERIA.map((c) => `${c.code} ≤ ${c.max}`).join(', ')}) / A council member's scoring sheet`,
        security: SECURED,
        params: Type.Object({ id: Type.String({ format: 'uuid' }), expert: Type.String({ format: 'uuid' }) }),
        body: Type.Object(
          { scores: Type.Optional(Type.Record(Type.String(), Type.Union([Type.Number(), Type.String()]))), comment: Str },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => recordScores(db, req.principal, actorOf(req), req.params.id, req.params.expert, req.body),
  );
  app.post<{ Params: { id: string }; Body: { approved?: boolean; note?: string | null } }>(
    `${base}/:id/decision`,
    {
      schema: {
        tags,
        summary: 'Quyết định sau khi hội đồng chấm đủ / The decision, once the council has scored',
        security: SECURED,
        params: Id,
        body: Type.Object({ approved: Type.Optional(Type.Boolean()), note: Str }, { additionalProperties: false }),
      },
    },
    async (req) => presentProposal(await decideProposal(db, req.principal, actorOf(req), jobs, req.params.id, req.body)),
  );

  const ExpertBody = Type.Object(
    {
      name: Type.Optional(Type.String()),
      email: Str,
      field: Type.Optional(Type.String()),
      affiliation: Type.Optional(Type.String()),
      inProvince: Type.Optional(Type.Boolean()),
      active: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false },
  );
  app.get('/api/v1/planning/experts', { schema: { tags, summary: 'Các nhóm chuyên gia mở / The open expert groups' } }, async () => ({
    experts: (await listExperts(db)).map((e) => presentExpert(e)),
  }));
  app.post<{ Body: ExpertInput }>(
    '/api/v1/planning/experts',
    { schema: { tags, summary: 'Thêm chuyên gia / Add an expert', security: SECURED, body: ExpertBody } },
    async (req, reply) => reply.status(201).send(presentExpert(await createExpert(db, req.principal, actorOf(req), req.body), true)),
  );
  app.patch<{ Params: { id: string }; Body: ExpertInput }>(
    '/api/v1/planning/experts/:id',
    { schema: { tags, summary: 'Sửa thông tin chuyên gia / Edit an expert', security: SECURED, params: Id, body: ExpertBody } },
    async (req) => presentExpert(await updateExpert(db, req.principal, actorOf(req), req.params.id, req.body), true),
  );
}
