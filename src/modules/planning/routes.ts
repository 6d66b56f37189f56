import type { Readable } from 'node:stream';
import { actorOf } from '../../platform/auth/index.js';
import { badRequest, contentDisposition, SECURED, Type, type App } from '../../platform/http/index.js';
import type { ModuleContext } from '../../platform/module.js';
import { finaliseConsolidated, publishRound, updateConsolidated, type ConsolidatedInput } from './consolidate/edit.js';
import { consolidatedFile, currentTemplate, DOCX_TYPE, replaceTemplate, TEMPLATE_LIMIT, type ExportFormat } from './consolidate/export.js';
import { amendPlan, type AmendmentInput } from './plan/amend.js';
import { sendConsolidated, type SendInput } from './consolidate/send.js';
import { DOCUMENTS_OUTBOX } from '../documents/index.js';
import { getPlan, transferAssignments, type TransferInput } from './plan/service.js';
import { presentOnTime, presentOverview, presentPlan, presentReport } from './presenters.js';
import { onTimeRates, roundOverview } from './reports/round.js';
import { addEvidence, EVIDENCE_MAX_BYTES, evidenceFile, removeEvidence } from './reports/evidence.js';
import { acceptReport, getReport, returnReport, saveReport, submitReport, type ReturnInput } from './reports/service.js';
import type { ReportInput } from './reports/validate.js';

const tags = ['planning'];
const YearParam = Type.Object({ year: Type.String({ pattern: '^[0-9]{4}$' }) });
const UnitParam = Type.Object({ year: Type.String({ pattern: '^[0-9]{4}$' }), org: Type.String({ minLength: 1, maxLength: 100 }) });
// Shapes only; the rules are the services' (reports/validate.ts), for the API and the forms alike.
const Section = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    done: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    results: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    difficulties: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    proposals: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    evidence: Type.Optional(Type.Array(Type.Object({ label: Type.Optional(Type.String()), url: Type.String() }), { maxItems: 50 })),
  },
  { additionalProperties: false },
);
const ReportBody = Type.Object(
  {
    sections: Type.Optional(Type.Record(Type.String(), Section)),
    values: Type.Optional(
      Type.Record(
        Type.String(),
        Type.Object({
          value: Type.Optional(Type.Union([Type.Number(), Type.String(), Type.Null()])),
          note: Type.Optional(Type.Union([Type.String(), Type.Null()])),
        }),
      ),
    ),
  },
  { additionalProperties: false },
);
const ReturnBody = Type.Object(
  {
    reason: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    sections: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Null()]))),
  },
  { additionalProperties: false },
);
const ConsolidatedBody = Type.Object(
  {
    numberSymbol: Type.Optional(Type.String()),
    place: Type.Optional(Type.String()),
    docDate: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    summary: Type.Optional(Type.String()),
    assessment: Type.Optional(Type.String()),
    recommendations: Type.Optional(Type.String()),
    recipients: Type.Optional(Type.Array(Type.String(), { maxItems: 100 })),
    signerTitle: Type.Optional(Type.String()),
    signerName: Type.Optional(Type.String()),
    final: Type.Optional(Type.Boolean()),
    published: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const TransferBody = Type.Object(
  { from: Type.String(), to: Type.Array(Type.String(), { minItems: 1, maxItems: 200 }), on: Type.String(), note: Type.Optional(Type.String()) },
  { additionalProperties: false },
);

/** The plan's JSON API: the plan as data, each unit's annual report, the Department's review and the consolidated report. */
export async function planningRoutes(app: App, ctx: ModuleContext): Promise<void> {
  const { db } = ctx;
  const yearOf = (s: string) => Number(s);

  app.get('/api/v1/planning/plan', { schema: { tags, summary: 'Kế hoạch, nhiệm vụ, đơn vị và chỉ tiêu / The plan: tasks, units and indicators' } }, async () =>
    presentPlan(await getPlan(db)),
  );

  app.post<{ Body: TransferInput }>(
    '/api/v1/planning/plan/transfers',
    {
      schema: {
        tags,
        summary: 'Chuyển nhiệm vụ của đơn vị giải thể cho đơn vị kế thừa / Pass a dissolved unit’s tasks to its successors',
        security: SECURED,
        body: TransferBody,
      },
    },
    async (req) => transferAssignments(db, req.principal, actorOf(req), req.body),
  );

  app.post<{ Body: AmendmentInput }>(
    '/api/v1/planning/plan/versions',
    {
      schema: {
        tags,
        summary: 'Sửa đổi, bổ sung kế hoạch (phiên bản mới có hiệu lực từ một ngày) / Amend the plan (a new version in force from a day)',
        security: SECURED,
        body: Type.Object(
          {
            note: Type.Optional(Type.String()),
            decisionRef: Type.Optional(Type.Union([Type.String(), Type.Null()])),
            effectiveFrom: Type.Optional(Type.String()),
            tasks: Type.Optional(
              Type.Array(
                Type.Object(
                  {
                    ref: Type.Optional(Type.String()),
                    text: Type.Optional(Type.String({ maxLength: 10_000 })),
                    remove: Type.Optional(Type.Boolean()),
                    group: Type.Optional(Type.String()),
                    lead: Type.Optional(Type.Array(Type.String(), { maxItems: 200 })),
                    coordinate: Type.Optional(Type.Array(Type.String(), { maxItems: 200 })),
                  },
                  { additionalProperties: false },
                ),
                { maxItems: 200 },
              ),
            ),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => reply.status(201).send(await amendPlan(db, req.principal, actorOf(req), req.body)),
  );

  app.get<{ Params: { year: string } }>(
    '/api/v1/planning/reports/:year',
    {
      schema: {
        tags,
        summary: 'Tình hình báo cáo của các đơn vị trong năm / Where every unit’s report of the year stands',
        security: SECURED,
        params: YearParam,
      },
    },
    async (req) => presentOverview(await roundOverview(db, req.principal, yearOf(req.params.year))),
  );

  app.get<{ Querystring: { year?: string } }>(
    '/api/v1/planning/on-time',
    {
      schema: {
        tags,
        summary: 'Tỷ lệ báo cáo đúng hạn của từng đơn vị qua các năm / Each unit’s on-time rate over the years',
        security: SECURED,
        querystring: Type.Object({ year: Type.Optional(Type.String({ pattern: '^[0-9]{4}$' })) }),
      },
    },
    async (req) => ({ units: presentOnTime(await onTimeRates(db, req.principal, req.query.year ? Number(req.query.year) : undefined)) }),
  );

  const unit = '/api/v1/planning/reports/:year/units/:org';
  type UnitReq = { Params: { year: string; org: string } };
  app.get<UnitReq>(unit, { schema: { tags, summary: 'Báo cáo của một đơn vị / A unit’s report', security: SECURED, params: UnitParam } }, async (req) =>
    presentReport(await getReport(db, req.principal, yearOf(req.params.year), req.params.org)),
  );
  app.put<UnitReq & { Body: ReportInput }>(
    unit,
    { schema: { tags, summary: 'Lưu nháp báo cáo / Save the report as a draft', security: SECURED, params: UnitParam, body: ReportBody } },
    async (req) => presentReport(await saveReport(db, req.principal, actorOf(req), yearOf(req.params.year), req.params.org, req.body)),
  );
  app.post<UnitReq & { Body: ReportInput | undefined }>(
    `${unit}/submit`,
    {
      schema: {
        tags,
        summary: 'Gửi báo cáo (lưu và gửi) / Submit the report (saving what is sent)',
        security: SECURED,
        params: UnitParam,
        body: Type.Optional(ReportBody),
      },
    },
    async (req) => presentReport(await submitReport(db, req.principal, actorOf(req), yearOf(req.params.year), req.params.org, req.body ?? {})),
  );
  app.post<UnitReq & { Body: ReturnInput }>(
    `${unit}/return`,
    { schema: { tags, summary: 'Trả lại báo cáo kèm lý do / Return the report with reasons', security: SECURED, params: UnitParam, body: ReturnBody } },
    async (req) => presentReport(await returnReport(db, req.principal, actorOf(req), yearOf(req.params.year), req.params.org, req.body)),
  );
  app.post<UnitReq>(
    `${unit}/accept`,
    { schema: { tags, summary: 'Chấp nhận báo cáo / Accept the report', security: SECURED, params: UnitParam } },
    async (req) => presentReport(await acceptReport(db, req.principal, actorOf(req), yearOf(req.params.year), req.params.org)),
  );

  // Evidence files: the body is the file itself, streamed to storage, never parsed or held.
  const EvidenceParam = Type.Object({
    year: Type.String({ pattern: '^[0-9]{4}$' }),
    org: Type.String({ minLength: 1, maxLength: 100 }),
    id: Type.String({ format: 'uuid' }),
  });
  await app.register(async (raw) => {
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    raw.post<UnitReq & { Querystring: { task: string; name: string } }>(
      `${unit}/evidence`,
      {
        // A little over the file limit, so the stream's own check answers, naming the field.
        bodyLimit: EVIDENCE_MAX_BYTES + 1024 * 1024,
        schema: {
          tags,
          summary: 'Đính kèm tệp minh chứng cho một nhiệm vụ (thân yêu cầu là tệp) / Attach an evidence file to a task (the body is the file)',
          description: 'At most 20 MB and 10 files per task; ?task= the task reference, ?name= the file name.',
          security: SECURED,
          params: UnitParam,
          querystring: Type.Object({ task: Type.String({ minLength: 1, maxLength: 40 }), name: Type.String({ minLength: 1, maxLength: 255 }) }),
        },
      },
      async (req, reply) => {
        const body = req.body as Readable | undefined;
        if (!body || typeof body.pipe !== 'function') throw badRequest('no_body', { vi: 'Thiếu nội dung tệp.', en: 'The file is missing.' }, 'file');
        const f = await addEvidence(db, ctx.files, req.principal, actorOf(req), yearOf(req.params.year), req.params.org, {
          task: req.query.task,
          name: req.query.name,
          contentType: String(req.headers['content-type'] ?? ''),
          source: body,
        });
        return reply.status(201).send({ id: f.id, name: f.name, size: Number(f.size), sha256: f.sha256 });
      },
    );
  });
  app.get<{ Params: { year: string; org: string; id: string } }>(
    `${unit}/evidence/:id`,
    { schema: { tags, summary: 'Tải tệp minh chứng / Download an evidence file', security: SECURED, params: EvidenceParam } },
    async (req, reply) => {
      const f = await evidenceFile(db, req.principal, yearOf(req.params.year), req.params.org, req.params.id);
      // Always a download, never rendered on this origin.
      return reply
        .type(f.content_type)
        .header('content-length', f.size)
        .header('content-disposition', contentDisposition(f.name))
        .header('x-content-type-options', 'nosniff')
        .send(ctx.files.open(f.file_key));
    },
  );
  app.delete<{ Params: { year: string; org: string; id: string } }>(
    `${unit}/evidence/:id`,
    { schema: { tags, summary: 'Bỏ tệp minh chứng / Remove an evidence file', security: SECURED, params: EvidenceParam } },
    async (req, reply) => {
      await removeEvidence(db, req.principal, actorOf(req), yearOf(req.params.year), req.params.org, req.params.id);
      return reply.status(204).send();
    },
  );

  for (const format of ['docx', 'pdf', 'json'] as ExportFormat[]) {
    app.get<{ Params: { year: string } }>(
      `/api/v1/planning/reports/:year/consolidated.${format}`,
      {
        schema: {
          tags,
          summary: `Báo cáo tổng hợp của tỉnh (${format.toUpperCase()}) / The province’s consolidated report`,
          security: SECURED,
          params: YearParam,
        },
      },
      async (req, reply) => {
        const file = await consolidatedFile(db, req.principal, yearOf(req.params.year), format);
        return reply.type(file.type).header('content-disposition', contentDisposition(file.filename)).header('cache-control', 'no-store').send(file.body);
      },
    );
  }
  app.patch<{ Params: { year: string }; Body: ConsolidatedInput & { final?: boolean; published?: boolean } }>(
    '/api/v1/planning/reports/:year/consolidated',
    {
      schema: {
        tags,
        summary: 'Sửa lời văn, hoàn thiện báo cáo tổng hợp / Edit and finalise the consolidated report',
        security: SECURED,
        params: YearParam,
        body: ConsolidatedBody,
      },
    },
    async (req, reply) => {
      const { final, published, ...text } = req.body;
      const year = yearOf(req.params.year);
      if (Object.keys(text).length) await updateConsolidated(db, req.principal, actorOf(req), year, text);
      if (final !== undefined) await finaliseConsolidated(db, req.principal, actorOf(req), year, final);
      if (published !== undefined) await publishRound(db, req.principal, actorOf(req), year, published);
      return reply.status(204).send();
    },
  );

  app.post<{ Params: { year: string }; Body: SendInput }>(
    '/api/v1/planning/reports/:year/consolidated/send',
    {
      schema: {
        tags,
        summary: 'Gửi báo cáo tổng hợp đã hoàn thiện dưới dạng văn bản điện tử / Send the finalised report as an electronic document',
        security: SECURED,
        params: YearParam,
        body: Type.Object({ to: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 20 })) }, { additionalProperties: false }),
      },
    },
    async (req, reply) =>
      reply.status(201).send(await sendConsolidated(db, ctx.ports.get(DOCUMENTS_OUTBOX), req.principal, actorOf(req), yearOf(req.params.year), req.body)),
  );

  app.get<{ Params: { year: string } }>(
    '/api/v1/planning/reports/:year/template.docx',
    { schema: { tags, summary: 'Mẫu Word của báo cáo tổng hợp / The consolidated report’s Word template', security: SECURED, params: YearParam } },
    async (req, reply) =>
      reply
        .type(DOCX_TYPE)
        .header('content-disposition', contentDisposition('mau-bao-cao-tong-hop.docx'))
        .send(await currentTemplate(db, req.principal, yearOf(req.params.year))),
  );
  await app.register(async (scoped) => {
    scoped.addContentTypeParser(DOCX_TYPE, { parseAs: 'buffer', bodyLimit: TEMPLATE_LIMIT }, (_req, body, done) => done(null, body));
    scoped.put<{ Params: { year: string } }>(
      '/api/v1/planning/reports/:year/template.docx',
      {
        bodyLimit: TEMPLATE_LIMIT,
        schema: {
          tags,
          summary: 'Thay mẫu Word (tệp .docx làm thân yêu cầu) / Replace the Word template (the .docx as the body)',
          security: SECURED,
          params: YearParam,
        },
      },
      async (req, reply) => {
        if (!Buffer.isBuffer(req.body) || req.body.length === 0)
          throw badRequest('invalid_template', { vi: 'Gửi tệp .docx làm thân yêu cầu.', en: 'Send the .docx file as the request body.' }, 'template');
        await replaceTemplate(db, req.principal, actorOf(req), yearOf(req.params.year), req.body);
        return reply.status(204).send();
      },
    );
    scoped.delete<{ Params: { year: string } }>(
      '/api/v1/planning/reports/:year/template.docx',
      { schema: { tags, summary: 'Dùng lại mẫu Word mặc định / Back to the built-in template', security: SECURED, params: YearParam } },
      async (req, reply) => {
        await replaceTemplate(db, req.principal, actorOf(req), yearOf(req.params.year), null);
        return reply.status(204).send();
      },
    );
  });
}
