import { actorOf } from '../../platform/auth/index.js';
import type { SecretBox } from '../../platform/crypto/index.js';
import { SECURED, Type, type App } from '../../platform/http/index.js';
import type { ModuleContext } from '../../platform/module.js';
import { stationList } from '../sensors/index.js';
import { acknowledgeAlert, getAlert, listAlerts, type AlertListItem } from './alerts.js';
import { capXml } from './cap.js';
import { warningsFeed } from './feeds.js';
import { createRule, getRule, listRules, updateRule, type RuleInput } from './rules.js';
import { addSubscription, listSubscriptions, removeSubscription, type SubscriptionInput } from './subscriptions.js';
import type { AlertRow, RuleRow } from './tables.js';

const tags = ['warnings'];
const Id = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const NumOrStr = Type.Optional(Type.Union([Type.Number(), Type.String()]));
// Shapes only; the rules are rules.ts's, for the API and the form alike.
const RuleBody = Type.Object(
  {
    org: Type.Optional(Type.String()),
    name: Type.Optional(Type.String()),
    kind: Type.Optional(Type.String()),
    station: Type.Optional(Type.Union([Type.Number(), Type.String(), Type.Null()])),
    parameter: Type.Optional(Type.String()),
    threshold: NumOrStr,
    clearBelow: Type.Optional(Type.Union([Type.Number(), Type.String(), Type.Null()])),
    windowHours: NumOrStr,
    severity: Type.Optional(Type.String()),
    escalateAfterMinutes: NumOrStr,
    public: Type.Optional(Type.Boolean()),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const SubscriptionBody = Type.Object(
  {
    org: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    channel: Type.Optional(Type.String()),
    address: Type.Optional(Type.String()),
    minSeverity: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const presentRule = (r: RuleRow) => ({
  id: r.id,
  org: r.org_id,
  name: r.name,
  kind: r.kind,
  station: r.thing_id,
  parameter: r.parameter,
  threshold: r.threshold,
  clearBelow: r.clear_below,
  windowHours: r.window_hours,
  severity: r.severity,
  escalateAfterMinutes: r.escalate_after_minutes,
  public: r.public,
  enabled: r.enabled,
});
export const presentAlert = (a: AlertRow, rule?: Pick<AlertListItem, 'rule_name' | 'severity' | 'kind' | 'parameter'>, stationName?: string) => ({
  id: a.id,
  rule: a.rule_id,
  ...(rule ? { ruleName: rule.rule_name, severity: rule.severity, kind: rule.kind, parameter: rule.parameter } : {}),
  station: a.thing_id,
  ...(stationName ? { stationName } : {}),
  state: a.state,
  openedAt: a.opened_at.toISOString(),
  acknowledgedAt: a.acknowledged_at?.toISOString() ?? null,
  resolvedAt: a.resolved_at?.toISOString() ?? null,
  level: a.level,
  value: a.value,
  peak: a.peak,
  detail: { vi: a.detail, en: a.detail_en },
  cap: `/warnings/${a.id}/cap.xml`,
});

/** The warnings API: rules (operators), alerts with their history and acknowledgement, subscriptions, the public feeds and CAP messages. */
export async function warningsRoutes(app: App, ctx: ModuleContext, box: () => SecretBox): Promise<void> {
  const { db } = ctx;
  app.get(
    '/api/v1/warnings/rules',
    { schema: { tags, summary: 'Quy tắc cảnh báo của đơn vị / The units’ warning rules', security: SECURED } },
    async (req) => ({
      rules: (await listRules(db, req.principal)).map(presentRule),
    }),
  );
  app.post<{ Body: RuleInput }>(
    '/api/v1/warnings/rules',
    { schema: { tags, summary: 'Tạo quy tắc cảnh báo / Create a warning rule', security: SECURED, body: RuleBody } },
    async (req, reply) => reply.status(201).send(presentRule(await createRule(db, req.principal, actorOf(req), req.body))),
  );
  app.get<{ Params: { id: string } }>(
    '/api/v1/warnings/rules/:id',
    { schema: { tags, summary: 'Một quy tắc / A rule', security: SECURED, params: Id } },
    async (req) => presentRule(await getRule(db, req.principal, req.params.id)),
  );
  app.patch<{ Params: { id: string }; Body: RuleInput }>(
    '/api/v1/warnings/rules/:id',
    { schema: { tags, summary: 'Sửa quy tắc / Edit a rule', security: SECURED, params: Id, body: RuleBody } },
    async (req) => presentRule(await updateRule(db, req.principal, actorOf(req), req.params.id, req.body)),
  );
  app.get<{ Querystring: { open?: boolean; station?: number } }>(
    '/api/v1/warnings/alerts',
    {
      schema: {
        tags,
        summary: 'Cảnh báo (công khai, và của đơn vị mình) / Warnings (public, and the user’s units’)',
        querystring: Type.Object({ open: Type.Optional(Type.Boolean()), station: Type.Optional(Type.Integer({ minimum: 1 })) }),
      },
    },
    async (req) => {
      const alerts = await listAlerts(db, req.principal, { open: req.query.open, station: req.query.station });
      const names = new Map((await stationList(db, [...new Set(alerts.map((a) => a.thing_id))])).map((s) => [s.id, s.name]));
      return { alerts: alerts.map((a) => presentAlert(a, a, names.get(a.thing_id))) };
    },
  );
  app.get<{ Params: { id: string } }>(
    '/api/v1/warnings/alerts/:id',
    { schema: { tags, summary: 'Một cảnh báo và diễn biến / A warning and its history', params: Id } },
    async (req) => {
      const { alert, rule, events } = await getAlert(db, req.principal, req.params.id);
      return {
        ...presentAlert(alert, { rule_name: rule.name, severity: rule.severity, kind: rule.kind, parameter: rule.parameter }),
        history: events.map((e) => ({ at: e.at.toISOString(), kind: e.kind, value: e.value, note: e.note, by: e.actor })),
      };
    },
  );
  app.post<{ Params: { id: string }; Body: { note?: string } }>(
    '/api/v1/warnings/alerts/:id/acknowledge',
    {
      schema: {
        tags,
        summary: 'Xác nhận cảnh báo (dừng chuyển cấp) / Acknowledge a warning (stops escalation)',
        security: SECURED,
        params: Id,
        body: Type.Optional(Type.Object({ note: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false })),
      },
    },
    async (req) => presentAlert(await acknowledgeAlert(db, req.principal, actorOf(req), req.params.id, req.body?.note)),
  );
  app.get('/api/v1/warnings/subscriptions', { schema: { tags, summary: 'Đăng ký nhận cảnh báo / Warning subscriptions', security: SECURED } }, async (req) => ({
    subscriptions: await listSubscriptions(db, req.principal),
  }));
  app.post<{ Body: SubscriptionInput }>(
    '/api/v1/warnings/subscriptions',
    { schema: { tags, summary: 'Đăng ký nhận cảnh báo qua thư hoặc webhook / Subscribe by e-mail or webhook', security: SECURED, body: SubscriptionBody } },
    async (req, reply) => reply.status(201).send(await addSubscription(db, req.principal, actorOf(req), box, req.body)),
  );
  app.delete<{ Params: { id: string } }>(
    '/api/v1/warnings/subscriptions/:id',
    { schema: { tags, summary: 'Hủy đăng ký / Unsubscribe', security: SECURED, params: Id } },
    async (req, reply) => {
      await removeSubscription(db, req.principal, actorOf(req), req.params.id);
      return reply.status(204).send();
    },
  );
  for (const format of ['atom', 'rss'] as const)
    app.get(`/warnings/feed.${format}`, { schema: { tags, summary: `Cảnh báo công khai (${format}) / Public warnings (${format})` } }, async (_req, reply) =>
      reply
        .type(format === 'atom' ? 'application/atom+xml; charset=utf-8' : 'application/rss+xml; charset=utf-8')
        .send(await warningsFeed(db, ctx.config.baseUrl, format)),
    );
  app.get<{ Params: { id: string } }>(
    '/warnings/:id/cap.xml',
    { schema: { tags, summary: 'Bản tin CAP 1.2 của một cảnh báo / A warning as CAP 1.2', params: Id } },
    async (req, reply) => {
      const { alert, rule } = await getAlert(db, req.principal, req.params.id);
      const [station] = await stationList(db, [alert.thing_id]);
      return reply.type('application/cap+xml; charset=utf-8').send(capXml(ctx.config.baseUrl, alert, rule, station, 'Tỉnh Số'));
    },
  );
}
