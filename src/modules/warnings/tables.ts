import type { TableOf } from '../../platform/db/index.js';

/** What a rule watches: a value above a threshold, its rise over some hours, a forecast above a threshold, or a sensor fault. */
export const RULE_KINDS = ['threshold', 'rate', 'forecast', 'fault'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];
/** The parameters a rule may watch: the hourly VN_AQI or a pollutant's latest hourly mean (µg/m³). */
export const PARAMETERS = ['aqi', 'pm25', 'pm10', 'o3', 'no2', 'so2', 'co'] as const;
export type Parameter = (typeof PARAMETERS)[number];
/** CAP 1.2's severities, from least to most. */
export const SEVERITIES = ['minor', 'moderate', 'severe', 'extreme'] as const;
export type Severity = (typeof SEVERITIES)[number];
export type AlertState = 'open' | 'acknowledged' | 'resolved';
export type Channel = 'email' | 'webhook';
export type AlertEventKind = 'opened' | 'escalated' | 'acknowledged' | 'resolved';

export interface RuleRow {
  id: string;
  org_id: string;
  name: string;
  kind: RuleKind;
  /** One station, or null: every station. */
  thing_id: number | null;
  parameter: Parameter;
  threshold: number;
  /** The episode ends when the value falls below this (hysteresis); at most the threshold. */
  clear_below: number;
  /** rate: the rise over these hours; forecast: within these hours; fault: silence longer than these hours is a fault. */
  window_hours: number;
  severity: Severity;
  /** An open alert nobody has acknowledged is escalated after this many minutes, and again after as many more. */
  escalate_after_minutes: number;
  public: boolean;
  enabled: boolean;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface AlertRow {
  id: string;
  rule_id: string;
  thing_id: number;
  state: AlertState;
  opened_at: Date;
  value: number;
  peak: number;
  level: number;
  escalated_at: Date | null;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  resolved_at: Date | null;
  detail: string;
  detail_en: string;
}

export interface AlertEventRow {
  id: number;
  alert_id: string;
  at: Date;
  kind: AlertEventKind;
  actor: string | null;
  value: number | null;
  note: string | null;
}

export interface SubscriptionRow {
  id: string;
  /** A person's own subscription, or an organization's (its admins manage it). */
  user_id: string | null;
  org_id: string | null;
  channel: Channel;
  /** The e-mail address or the webhook URL. */
  address: string;
  /** HMAC secret of a webhook, sealed. */
  sealed_secret: string | null;
  min_severity: Severity;
  created_at: Date;
}

export type WarningsTables = {
  wr_rule: TableOf<RuleRow, 'id' | 'created_at' | 'updated_at'>;
  wr_alert: TableOf<AlertRow, 'id' | 'level'>;
  wr_alert_event: TableOf<AlertEventRow, 'id' | 'at'>;
  wr_subscription: TableOf<SubscriptionRow, 'id' | 'created_at'>;
};
