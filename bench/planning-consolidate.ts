import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { startAppBench } from './app-lib.js';
import { BENCH_DIR, record, ROOT } from './lib.js';

/**
 * The plan's consolidated report at province scale (issue 13): 300 units' accepted reports of
 * 60 tasks and 50 indicators each (the plan's 44 tasks and 14 indicators, plus generated ones),
 * consolidated into the DOCX and into the PDF, each in its own process (time and peak RSS), next
 * to the data build alone and to two baselines over the same data: the docx package building the
 * document element by element, and pdfkit writing the same text without tables. The PDF leaves
 * out the per-task annex past PDF_ANNEX_MAX answers (it says the DOCX and JSON carry it);
 * `pdf-annex` is the PDF with it all the same. Then the report
 * form of one unit (HTML, through the server) with those reports in the database, p50/p95, next to
 * the same report as JSON and to /healthz. `BENCH_UNITS` (300), `BENCH_ITER` (200), `BENCH_CPU_PROF`.
 */
const UNITS = Number(process.env.BENCH_UNITS ?? 300);
const ITER = Number(process.env.BENCH_ITER ?? 200);
const YEAR = 2026;
const EXTRA_TASKS = 16;
/** BENCH_CPU_PROF=dir: each render writes a V8 CPU profile there (open in Chrome DevTools). */
const PROFILE = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
const EXTRA_INDICATORS = 36;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 100) / 100;
};

export async function run(): Promise<void> {
  const bench = await startAppBench('tinhso-bench-plan-', 'off');
  const { client, base, token, adminUrl } = bench;
  try {
    const t0 = performance.now();
    await client.query('begin');
    const plan = (await client.query<{ id: string }>(`select id from plan limit 1`)).rows[0]!.id;
    const round = (
      await client.query<{ id: string }>(
        `select r.id from plan_round r join plan_regime g on g.id = r.regime_id where g.plan_id = $1 and r.year = $2 and r.kind = 'periodic'`,
        [plan, YEAR],
      )
    ).rows[0]!.id;
    await client.query(
      `insert into organization (slug, name, kind, parent_id)
       select 'don-vi-' || i, 'Đơn vị thực hiện số ' || i, 'agency', (select id from organization where kind = 'people_committee' limit 1)
       from generate_series(1, $1) i`,
      [UNITS],
    );
    await client.query(
      `insert into plan_task (plan_id, group_id, ref, position, heading, text, version_from)
       select $1, (select id from plan_group where plan_id = $1 order by position offset (i % 6) limit 1), 'B.' || i, 1000 + i, 'Nhiệm vụ bổ sung',
              'Triển khai ứng dụng trí tuệ nhân tạo trong quản lý nhà nước về lĩnh vực số ' || i || ', kết nối với Trung tâm tích hợp dữ liệu của tỉnh và chia sẻ dữ liệu đến cấp huyện, cấp xã.', 1
       from generate_series(1, $2) i`,
      [plan, EXTRA_TASKS],
    );
    await client.query(
      `insert into plan_assignment (task_id, org_id, role)
       select t.id, o.id, case when t.position % 3 = 0 then 'coordinate' else 'lead' end
       from plan_task t cross join organization o where t.plan_id = $1 and o.slug like 'don-vi-%'`,
      [plan],
    );
    await client.query(
      `insert into plan_indicator (plan_id, code, scope, name, unit, source, responsible_org_id)
       select $1, 'B-' || lpad(i::text, 2, '0'), 'province', 'Số hệ thống thông tin có ứng dụng trí tuệ nhân tạo, nhóm ' || i, 'hệ thống', 'entered',
              (select id from organization where slug = 'don-vi-' || i)
       from generate_series(1, $2) i`,
      [plan, EXTRA_INDICATORS],
    );
    await client.query(
      `insert into plan_indicator_target (indicator_id, year, target) select id, $2, 10 from plan_indicator where plan_id = $1 and code like 'B-%'`,
      [plan, YEAR],
    );
    await client.query(
      `insert into plan_report (round_id, org_id, status, first_submitted_at, submitted_at, accepted_at)
       select $1, id, 'accepted', '2026-11-10T03:00:00Z', '2026-11-10T03:00:00Z', '2026-11-12T03:00:00Z' from organization where slug like 'don-vi-%'`,
      [round],
    );
    await client.query(
      `insert into plan_report_section (report_id, task_id, status, done, results, difficulties, proposals, evidence)
       select r.id, t.id, (array['not_started', 'in_progress', 'done', 'overdue'])[1 + (abs(hashtext(r.id::text || t.id::text)) % 4)],
              'Đã ban hành văn bản hướng dẫn, tổ chức tập huấn cho ' || (abs(hashtext(t.ref)) % 50 + 10) || ' cán bộ và triển khai thí điểm tại hai đơn vị trực thuộc.',
              'Hoàn thành ' || (abs(hashtext(r.id::text)) % 90 + 10) || '% khối lượng công việc của năm; dữ liệu được cập nhật lên Trung tâm tích hợp dữ liệu.',
              'Thiếu nhân lực có chuyên môn về dữ liệu và trí tuệ nhân tạo; kinh phí bố trí chưa kịp thời.',
              'Đề nghị Sở Khoa học và Công nghệ hỗ trợ kết nối chuyên gia và bố trí kinh phí năm sau.',
              '[{"label": "Văn bản triển khai", "url": "https://tinhso.example.vn/edoc"}]'::jsonb
       from plan_report r join plan_assignment a on a.org_id = r.org_id join plan_task t on t.id = a.task_id
       where r.round_id = $1`,
      [round],
    );
    await client.query(
      `insert into plan_report_value (report_id, indicator_id, value)
       select r.id, i.id, (abs(hashtext(r.id::text || i.id::text)) % 1000) / 10.0
       from plan_report r cross join plan_indicator i where r.round_id = $1 and i.plan_id = $2 and i.source = 'entered'`,
      [round, plan],
    );
    await client.query('commit');
    await client.query('analyze');
    const counts = (
      await client.query<{ reports: number; sections: number; values: number; tasks: number; indicators: number }>(
        `select (select count(*)::int from plan_report where round_id = $1) reports,
                (select count(*)::int from plan_report_section s join plan_report r on r.id = s.report_id where r.round_id = $1) sections,
                (select count(*)::int from plan_report_value v join plan_report r on r.id = v.report_id where r.round_id = $1) "values",
                (select count(*)::int from plan_task where plan_id = $2) tasks,
                (select count(*)::int from plan_indicator where plan_id = $2) indicators`,
        [round, plan],
      )
    ).rows[0]!;
    const generateSeconds = Math.round(performance.now() - t0) / 1000;

    // Ours in plain node on the build (as the server runs them); the baselines through tsx (bench
    // code). Each reports its RSS at the start, so the loader's share is visible.
    const ours = (mode: string) => `
      import { connect } from '${ROOT}/dist/server/platform/db/index.js';
      import { systemPrincipal } from '${ROOT}/dist/server/platform/auth/index.js';
      import { buildConsolidated, renderDocx, renderPdf, defaultTemplate } from '${ROOT}/dist/server/modules/planning/index.js';
      const startRssMiB = Math.round(process.memoryUsage().rss / 2 ** 20);
      const db = connect(${JSON.stringify(adminUrl)}, { max: 2 });
      const t0 = performance.now();
      const data = await buildConsolidated(db.db, systemPrincipal(), ${YEAR});
      const mode = ${JSON.stringify(mode)};
      const body = mode === 'docx' ? renderDocx(data, defaultTemplate()) : mode === 'pdf' ? await renderPdf(data) : mode === 'pdf-annex' ? await renderPdf(data, { annex: true }) : Buffer.from(JSON.stringify(data));
      const seconds = Math.round(performance.now() - t0) / 1000;
      await db.close();
      console.log(JSON.stringify({ mode, seconds, bytes: body.length, startRssMiB, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) }));
      process.exit(0);`;
    const render = (mode: string) => {
      const args = ['data', 'docx', 'pdf', 'pdf-annex'].includes(mode)
        ? [...PROFILE, '--input-type=module', '-e', ours(mode)]
        : [...PROFILE, '--import', 'tsx', path.join(BENCH_DIR, 'planning-render.ts'), mode, adminUrl, String(YEAR)];
      return JSON.parse(execFileSync(process.execPath, args, { cwd: ROOT, maxBuffer: 1 << 20 }).toString()) as {
        seconds: number;
        bytes: number;
        peakRssMiB: number;
      };
    };
    const renders: Record<string, unknown> = {};
    for (const mode of ['data', 'docx', 'pdf', 'pdf-annex', 'docx-package', 'pdfkit-text']) {
      renders[mode] = render(mode);
      console.error(mode, renders[mode]);
    }

    // The form of one unit, as its officer opens it, among UNITS reports.
    const headers = { authorization: `Bearer ${token}` };
    const time = async (url: (i: number) => string) => {
      const xs: number[] = [];
      for (let i = 0; i < ITER + 20; i++) {
        const s = performance.now();
        const r = await fetch(`${base}${url(i)}`, { headers });
        await r.arrayBuffer();
        if (r.status !== 200) throw new Error(`${url(i)}: ${r.status}`);
        if (i >= 20) xs.push(performance.now() - s);
      }
      return { p50: pct(xs, 50), p95: pct(xs, 95) };
    };
    const unit = (i: number) => `don-vi-${(i % UNITS) + 1}`;
    const form = await time((i) => `/plan/reports/${YEAR}/${unit(i)}`);
    const json = await time((i) => `/api/v1/planning/reports/${YEAR}/units/${unit(i)}`);
    const healthz = await time(() => '/healthz');

    record('planning-consolidate', {
      units: UNITS,
      ...counts,
      generateSeconds,
      renders,
      reportForm: { html: form, json, healthz, iterations: ITER },
      budget: { renderSeconds: 5, renderMiB: 300, formP95Ms: 100 },
    });
  } finally {
    await bench.stop();
  }
}
