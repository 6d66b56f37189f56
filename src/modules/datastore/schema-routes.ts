import { actorOf } from '../../platform/auth/index.js';
import { SECURED, Type, type App } from '../../platform/http/index.js';
import type { ModuleContext } from '../../platform/module.js';
import { FIELD_TYPES, MAX_PATTERN_LENGTH, type EditorSchema } from './ingest/editor-schema.js';
import type { FieldType } from './ingest/infer.js';
import { DELIMITER, ENCODING, TABLE_ID } from './routes.js';
import { schemaOf, setSchema } from './schema.js';
import { fileStructure } from './structure.js';

const Constraints = Type.Object(
  {
    required: Type.Optional(Type.Boolean()),
    minimum: Type.Optional(Type.Union([Type.Number(), Type.String({ maxLength: 40 })])),
    maximum: Type.Optional(Type.Union([Type.Number(), Type.String({ maxLength: 40 })])),
    minLength: Type.Optional(Type.Integer({ minimum: 0 })),
    maxLength: Type.Optional(Type.Integer({ minimum: 0 })),
    enum: Type.Optional(Type.Array(Type.String({ maxLength: 500 }), { maxItems: 1000 })),
    pattern: Type.Optional(Type.String({ maxLength: MAX_PATTERN_LENGTH })),
  },
  { additionalProperties: false },
);
/** The editor's Table Schema: fields matched to the file's columns by name (or title), and the missing values. */
export const EditorSchemaDto = Type.Object(
  {
    fields: Type.Optional(
      Type.Array(
        Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 63 }),
            title: Type.Optional(Type.String({ maxLength: 500 })),
            description: Type.Optional(Type.String({ maxLength: 2000 })),
            type: Type.Optional(Type.Union(FIELD_TYPES.map((t) => Type.Literal(t as FieldType)))),
            constraints: Type.Optional(Constraints),
          },
          { additionalProperties: false },
        ),
        { maxItems: 1000 },
      ),
    ),
    missingValues: Type.Optional(Type.Array(Type.String({ maxLength: 50 }), { maxItems: 50 })),
  },
  { additionalProperties: false },
);

/** The upload wizard's API: what the loader sees in a file, and the editor's schema of each table. */
export function schemaRoutes(app: App, ctx: ModuleContext): void {
  const { db, files } = ctx;
  app.get(
    '/api/v1/datastore/:rid/structure',
    {
      schema: {
        tags: ['datastore'],
        summary: 'Cấu trúc tệp mà bộ nạp nhận ra / What the loader sees in the file',
        description:
          'For an editor: the encoding and delimiter of a text file (or those given), and per sheet its first rows with the detected header rows and data range (sheet row numbers, 1-based), and the rows left out (title, numbering, section, total, footer).',
        security: SECURED,
        params: Type.Object({ rid: Type.String({ format: 'uuid' }) }),
        querystring: Type.Object({ encoding: Type.Optional(ENCODING), delimiter: Type.Optional(DELIMITER) }),
      },
    },
    async (req) =>
      fileStructure({ db, files }, req.principal, req.params.rid, {
        ...(req.query.encoding ? { encoding: req.query.encoding } : {}),
        ...(req.query.delimiter ? { delimiter: req.query.delimiter } : {}),
      }),
  );
  app.get(
    '/api/v1/datastore/:rid/schema',
    {
      schema: {
        tags: ['datastore'],
        summary: 'Lược đồ bảng / Table Schema of a table',
        description: 'current: the Frictionless Table Schema of the loaded table; editor: the editor’s schema applied to every later load (or null).',
        params: Type.Object({ rid: TABLE_ID }),
      },
    },
    async (req) => schemaOf(db, req.principal, req.params.rid),
  );
  app.put(
    '/api/v1/datastore/:rid/schema',
    {
      schema: {
        tags: ['datastore'],
        summary: 'Sửa lược đồ bảng / Set the editor’s Table Schema',
        description:
          'Fields are matched to the file’s columns by name, or else by title (the header cell): a new name with the old title renames the column. type pins the column’s type (values that do not fit become type errors instead of widening it); constraints (required, minimum, maximum, minLength, maxLength, enum, pattern) are checked on every row; missingValues replaces the default list ("", "N/A", "-", …), e.g. with "-999" added. Applied from the next load (POST …/loads, with dry_run to check first).',
        security: SECURED,
        params: Type.Object({ rid: TABLE_ID }),
        body: EditorSchemaDto,
      },
    },
    async (req) => ({ editor: await setSchema(db, req.principal, actorOf(req), req.params.rid, req.body as EditorSchema) }),
  );
  app.delete(
    '/api/v1/datastore/:rid/schema',
    {
      schema: {
        tags: ['datastore'],
        summary: 'Bỏ lược đồ của biên tập viên / Remove the editor’s Table Schema',
        security: SECURED,
        params: Type.Object({ rid: TABLE_ID }),
      },
    },
    async (req) => ({ editor: await setSchema(db, req.principal, actorOf(req), req.params.rid, null) }),
  );
}
