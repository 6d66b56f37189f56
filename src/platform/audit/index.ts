export {
  AUDIT_VERIFY_JOB,
  recordAudit,
  recordAudits,
  verifyAudit,
  listAudit,
  countAudit,
  SYSTEM_ACTOR,
  AUDIT_STREAM,
  type AuditActor,
  type ChainResult,
  type AuditEntry,
  type VerifyResult,
} from './audit.js';
export { auditMigrations } from './migrations.js';
export { auditRoutes } from './routes.js';
