import path from 'node:path';
import { parseAllowList } from '../net/index.js';

/** Runtime configuration, resolved once from CLI flags and environment. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** External PostgreSQL; when absent the embedded server under dataDir is used. */
  databaseUrl: string | undefined;
  demo: boolean;
  logLevel: string;
  /** Public base URL used in links (CKAN help URLs, DCAT URIs). */
  baseUrl: string;
  /** Cookies get the Secure flag when the site is served over https. */
  secureCookies: boolean;
  /** Hosts (or host:port) outbound requests may reach although they resolve to internal addresses. */
  outboundAllow: string[];
  /** A JSON file of extra licences in CKAN's license list format (CKAN's `licenses_group_url`). */
  licensesFile: string | undefined;
  /** The largest file one upload may carry, through the API and the portal alike. */
  maxUploadBytes: number;
  /** The catalog's in-memory search index: `memory` (default) or `off` (every query in SQL). */
  searchIndex: 'memory' | 'off';
  /** SMTP server for outgoing mail (smtp:// or smtps:// URL); unset: mail is refused and logged. */
  smtpUrl: string | undefined;
  /** The From address of outgoing mail. */
  mailFrom: string;
  /**
   * The key that encrypts stored secrets (sector database passwords, signing keys): 32 bytes,
   * base64 (`TINHSO_SECRET_KEY`); unset, a key file under the data dir is made on first use.
   * Every instance of a deployment needs the same key.
   */
  secretKey: string | undefined;
  /**
   * A TLS listener for raw routes (the exchange gateway) that asks for client certificates, for
   * mutual TLS: `TINHSO_EXCHANGE_TLS_PORT`, `TINHSO_EXCHANGE_TLS_CERT` and `TINHSO_EXCHANGE_TLS_KEY`
   * (PEM files). Unset: none.
   */
  exchangeTls: { port: number; certFile: string; keyFile: string } | undefined;
  /** The embedded MQTT broker's port (`TINHSO_MQTT_PORT`, 1883; `off`: none). */
  mqttPort: number | null;
}

export interface ConfigInput {
  port?: number | string | undefined;
  host?: string | undefined;
  dataDir?: string | undefined;
  databaseUrl?: string | undefined;
  demo?: boolean | undefined;
  logLevel?: string | undefined;
  baseUrl?: string | undefined;
  outboundAllow?: string[] | undefined;
  licensesFile?: string | undefined;
  maxUploadBytes?: number | undefined;
  searchIndex?: 'memory' | 'off' | undefined;
  smtpUrl?: string | undefined;
  mailFrom?: string | undefined;
  secretKey?: string | undefined;
  exchangeTls?: { port: number; certFile: string; keyFile: string } | undefined;
  mqttPort?: number | string | null | undefined;
}

function mqttPort(v: number | string | null | undefined): number | null {
  if (v === null || v === 'off') return null;
  const n = Number(v ?? 1883);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`Invalid MQTT port: ${String(v)} (a port, or off)`);
  return n;
}

function exchangeTls(env: NodeJS.ProcessEnv): Config['exchangeTls'] {
  const { TINHSO_EXCHANGE_TLS_PORT: p, TINHSO_EXCHANGE_TLS_CERT: certFile, TINHSO_EXCHANGE_TLS_KEY: keyFile } = env;
  if (!p && !certFile && !keyFile) return undefined;
  const port = Number(p);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || !certFile || !keyFile)
    throw new Error('Invalid exchange TLS settings: TINHSO_EXCHANGE_TLS_PORT, TINHSO_EXCHANGE_TLS_CERT and TINHSO_EXCHANGE_TLS_KEY go together');
  return { port, certFile: path.resolve(certFile), keyFile: path.resolve(keyFile) };
}

function smtpUrl(v: string | undefined): string | undefined {
  if (!v) return undefined;
  if (!/^smtps?:\/\/[^/]+/.test(v)) throw new Error('Invalid TINHSO_SMTP_URL: expected smtp://host:port or smtps://user:password@host:port');
  return v;
}

function searchIndexMode(v: string | undefined): 'memory' | 'off' {
  if (v === undefined || v === '' || v === 'memory') return 'memory';
  if (v === 'off') return 'off';
  throw new Error(`Invalid TINHSO_SEARCH_INDEX: ${v} (memory or off)`);
}

function uploadLimit(mb: string | undefined): number {
  const n = Number(mb ?? 512);
  if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new Error(`Invalid TINHSO_MAX_UPLOAD_MB: ${String(mb)}`);
  return n * 1024 * 1024;
}

export function loadConfig(input: ConfigInput = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(input.port ?? env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`Invalid port: ${String(input.port ?? env.PORT)}`);
  }
  const host = input.host ?? env.HOST ?? '0.0.0.0';
  const dataDir = path.resolve(input.dataDir ?? env.TINHSO_DATA_DIR ?? './var');
  const databaseUrl = input.databaseUrl ?? (env.DATABASE_URL || undefined);
  const baseUrl = (input.baseUrl ?? env.TINHSO_BASE_URL ?? `http://localhost:${port}`).replace(/\/$/, '');
  return {
    port,
    host,
    dataDir,
    databaseUrl,
    demo: input.demo ?? false,
    logLevel: input.logLevel ?? env.LOG_LEVEL ?? 'info',
    baseUrl,
    secureCookies: baseUrl.startsWith('https:'),
    outboundAllow: input.outboundAllow ?? parseAllowList(env.TINHSO_OUTBOUND_ALLOW),
    licensesFile: input.licensesFile ?? (env.TINHSO_LICENSES_FILE || undefined),
    maxUploadBytes: input.maxUploadBytes ?? uploadLimit(env.TINHSO_MAX_UPLOAD_MB),
    searchIndex: input.searchIndex ?? searchIndexMode(env.TINHSO_SEARCH_INDEX),
    smtpUrl: input.smtpUrl ?? smtpUrl(env.TINHSO_SMTP_URL),
    mailFrom: input.mailFrom ?? (env.TINHSO_MAIL_FROM || 'Tỉnh Số <no-reply@localhost>'),
    secretKey: input.secretKey ?? (env.TINHSO_SECRET_KEY || undefined),
    exchangeTls: input.exchangeTls ?? exchangeTls(env),
    mqttPort: mqttPort(input.mqttPort !== undefined ? input.mqttPort : env.TINHSO_MQTT_PORT),
  };
}
