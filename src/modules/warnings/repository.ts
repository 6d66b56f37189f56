import type { Db } from '../../platform/db/index.js';
import type { AlertEventKind, AlertRow, RuleRow, SubscriptionRow, WarningsTables } from './tables.js';

const q = (db: Db) => db.withTables<WarningsTables>();
type RuleValues = Omit<RuleRow, 'id' | 'created_at' | 'updated_at'>;

export const rulesRepo = {
  get: (db: Db, id: string): Promise<RuleRow | undefined> => q(db).selectFrom('wr_rule').selectAll().where('id', '=', id).executeTakeFirst(),
  enabled: (db: Db): Promise<RuleRow[]> => q(db).selectFrom('wr_rule').selectAll().where('enabled', '=', true).orderBy('created_at').execute(),
  ofOrgs: (db: Db, orgIds: string[] | 'all'): Promise<RuleRow[]> => {
    let s = q(db).selectFrom('wr_rule').selectAll();
    if (orgIds !== 'all') {
      if (!orgIds.length) return Promise.resolve([]);
      s = s.where('org_id', 'in', orgIds);
    }
    return s.orderBy('created_at').execute();
  },
  insert: (db: Db, v: RuleValues): Promise<RuleRow> => q(db).insertInto('wr_rule').values(v).returningAll().executeTakeFirstOrThrow(),
  update: (db: Db, id: string, v: Partial<RuleValues>): Promise<RuleRow> =>
    q(db)
      .updateTable('wr_rule')
      .set({ ...v, updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow(),
};

export const alertsRepo = {
  get: (db: Db, id: string): Promise<AlertRow | undefined> => q(db).selectFrom('wr_alert').selectAll().where('id', '=', id).executeTakeFirst(),
  lock: (db: Db, id: string): Promise<AlertRow | undefined> => q(db).selectFrom('wr_alert').selectAll().where('id', '=', id).forUpdate().executeTakeFirst(),
  /** The episode under way of a rule at a station, locked. */
  current: (db: Db, ruleId: string, thingId: number): Promise<AlertRow | undefined> =>
    q(db)
      .selectFrom('wr_alert')
      .selectAll()
      .where('rule_id', '=', ruleId)
      .where('thing_id', '=', thingId)
      .where('state', '<>', 'resolved')
      .forUpdate()
      .executeTakeFirst(),
  insert: (db: Db, v: Omit<AlertRow, 'id' | 'level'>): Promise<AlertRow> => q(db).insertInto('wr_alert').values(v).returningAll().executeTakeFirstOrThrow(),
  update: (db: Db, id: string, v: Partial<Omit<AlertRow, 'id'>>): Promise<AlertRow> =>
    q(db).updateTable('wr_alert').set(v).where('id', '=', id).returningAll().executeTakeFirstOrThrow(),
  /** Alerts newest first: public ones and those of the given units' rules (every one with 'all'), only those not resolved when `open`. */
  list: (
    db: Db,
    opts: { orgIds: string[] | 'all'; open?: boolean; thingId?: number; limit: number },
  ): Promise<(AlertRow & { rule_name: string; severity: string; parameter: string; kind: string; org_id: string; public: boolean })[]> => {
    let s = q(db)
      .selectFrom('wr_alert as a')
      .innerJoin('wr_rule as r', 'r.id', 'a.rule_id')
      .selectAll('a')
      .select(['r.name as rule_name', 'r.severity', 'r.parameter', 'r.kind', 'r.org_id', 'r.public']);
    const orgs = opts.orgIds;
    if (orgs !== 'all') s = s.where((eb) => (orgs.length ? eb.or([eb('r.public', '=', true), eb('r.org_id', 'in', orgs)]) : eb('r.public', '=', true)));
    if (opts.open) s = s.where('a.state', '<>', 'resolved');
    if (opts.thingId !== undefined) s = s.where('a.thing_id', '=', opts.thingId);
    return s.orderBy('a.opened_at', 'desc').limit(opts.limit).execute();
  },
  events: (db: Db, alertId: string) => q(db).selectFrom('wr_alert_event').selectAll().where('alert_id', '=', alertId).orderBy('at').orderBy('id').execute(),
  addEvent: (db: Db, alertId: string, kind: AlertEventKind, actor: string | null, value: number | null, note: string | null = null) =>
    q(db).insertInto('wr_alert_event').values({ alert_id: alertId, kind, actor, value, note }).execute(),
};

export const subscriptionsRepo = {
  get: (db: Db, id: string): Promise<SubscriptionRow | undefined> => q(db).selectFrom('wr_subscription').selectAll().where('id', '=', id).executeTakeFirst(),
  ofUser: (db: Db, userId: string): Promise<SubscriptionRow[]> =>
    q(db).selectFrom('wr_subscription').selectAll().where('user_id', '=', userId).orderBy('created_at').execute(),
  ofOrg: (db: Db, orgId: string): Promise<SubscriptionRow[]> =>
    q(db).selectFrom('wr_subscription').selectAll().where('org_id', '=', orgId).orderBy('created_at').execute(),
  /** Whoever is to be told of an alert of this organization's rule: the organization's subscriptions, and everyone's own when the rule's alerts are public. */
  audience: (db: Db, orgId: string, isPublic: boolean): Promise<SubscriptionRow[]> =>
    q(db)
      .selectFrom('wr_subscription')
      .selectAll()
      .where((eb) => (isPublic ? eb.or([eb('org_id', '=', orgId), eb('user_id', 'is not', null)]) : eb('org_id', '=', orgId)))
      .execute(),
  insert: (db: Db, v: Omit<SubscriptionRow, 'id' | 'created_at'>): Promise<SubscriptionRow> =>
    q(db).insertInto('wr_subscription').values(v).returningAll().executeTakeFirstOrThrow(),
  remove: (db: Db, id: string) => q(db).deleteFrom('wr_subscription').where('id', '=', id).returning('id').executeTakeFirst(),
};
