import { recordAudit, type AuditActor } from '../../platform/audit/index.js';
import type { Principal } from '../../platform/auth/index.js';
import { inTransaction, type Db } from '../../platform/db/index.js';
import { badRequest, FieldErrors } from '../../platform/http/index.js';
import { readableResource } from '../catalog/index.js';
import { schemaProblems, type EditorSchema, type FieldConstraints } from './ingest/editor-schema.js';
import { DEFAULT_MISSING } from './ingest/rows.js';
import type { LoadedField } from './ingest/write-table.js';
import { lockResource, schemaRepo, tableRepo } from './repository.js';
import { editableResource } from './service.js';
import { parseTableKey } from './table-key.js';

/** A Frictionless Table Schema (the parts the datastore writes). */
export interface TableSchema {
  fields: { name: string; title?: string; description?: string; type: string; constraints?: FieldConstraints }[];
  missingValues: string[];
  primaryKey?: string[];
}

/** The Table Schema of loaded fields (the current table's, or what a load found). */
export function tableSchemaOf(fields: LoadedField[], editor: EditorSchema | undefined, primaryKey: string[] = []): TableSchema {
  return {
    fields: fields.map((f) => ({
      name: f.id,
      ...(f.title && f.title !== f.id ? { title: f.title } : {}),
      ...(f.description ? { description: f.description } : {}),
      type: f.type === 'time' ? 'time' : f.type,
      ...(f.constraints ? { constraints: f.constraints } : {}),
    })),
    missingValues: editor?.missingValues ?? DEFAULT_MISSING,
    ...(primaryKey.length ? { primaryKey } : {}),
  };
}

/** The editor's schemas of a resource's tables, by sheet, for readers of the dataset. */
export async function editorSchemasOf(db: Db, p: Principal, resourceId: string): Promise<Map<number, EditorSchema>> {
  await readableResource(db, p, resourceId);
  return new Map((await schemaRepo.forResource(db, resourceId)).map((r) => [r.sheet, r.schema]));
}

/** The editor's schema of a table (`key`: resource id or "<id>:<sheet>") and the current table's Table Schema, for readers of the dataset. */
export async function schemaOf(db: Db, p: Principal, key: string): Promise<{ editor: EditorSchema | null; current: TableSchema | null }> {
  const { resourceId, sheet } = parseTableKey(key);
  const editor = (await editorSchemasOf(db, p, resourceId)).get(sheet) ?? null;
  const table = await tableRepo.find(db, resourceId, sheet);
  return { editor, current: table ? tableSchemaOf(table.fields, editor ?? undefined, table.primary_key) : null };
}

/**
 * An editor sets (or with null removes) the schema later loads of the table apply: every problem
 * of the schema is reported at once, naming its property, and nothing is stored then. The table
 * as loaded stays as it is until the next load (the wizard's "check" and "load" steps).
 */
export async function setSchema(db: Db, p: Principal, actor: AuditActor, key: string, schema: EditorSchema | null): Promise<EditorSchema | null> {
  const { resourceId, sheet } = parseTableKey(key);
  const { userId } = await editableResource(db, p, resourceId);
  if (schema) {
    const errors = new FieldErrors();
    for (const problem of schemaProblems(schema)) errors.add(badRequest('datastore_schema', { vi: problem.vi, en: problem.en }, problem.path));
    errors.throwIfAny();
  }
  await inTransaction(db, async (trx) => {
    await lockResource(trx, resourceId);
    if (schema) await schemaRepo.save(trx, { resource_id: resourceId, sheet, schema: normalized(schema), updated_by: userId });
    else await schemaRepo.remove(trx, resourceId, sheet);
    await recordAudit(trx, actor, {
      action: 'datastore.schema',
      entityType: 'resource',
      entityId: resourceId,
      details: { sheet, fields: schema?.fields?.length ?? null },
    });
  });
  return schema ? normalized(schema) : null;
}

/** Text in NFC, names trimmed: what is stored is what loads compare with. */
function normalized(s: EditorSchema): EditorSchema {
  return {
    ...(s.fields
      ? {
          fields: s.fields.map((f) => ({
            ...f,
            name: f.name.trim().normalize('NFC'),
            ...(f.title !== undefined ? { title: f.title.normalize('NFC') } : {}),
            ...(f.constraints?.enum ? { constraints: { ...f.constraints, enum: f.constraints.enum.map((e) => e.normalize('NFC')) } } : {}),
          })),
        }
      : {}),
    ...(s.missingValues ? { missingValues: s.missingValues.map((m) => m.normalize('NFC')) } : {}),
  };
}
