import type { Db } from '../../platform/db/index.js';
import { Type, type App } from '../../platform/http/index.js';
import { presentLinked, presentResolve, presentUnit, presentVersion, ResolveDto, UnitDetailDto, UnitDto } from './presenters.js';
import * as svc from './service.js';

const TAGS = ['admin-units'];
const Code = Type.String({ pattern: '^([0-9]{2}|[0-9]{3}|[0-9]{5})$', description: 'Mã GSO / GSO code: 2 (tỉnh), 3 (huyện), 5 (xã) chữ số' });
const At = Type.String({ format: 'date', description: 'Ngày hiệu lực YYYY-MM-DD, mặc định hôm nay / Validity date, default today' });

/** Read-only, public. */
export async function adminUnitRoutes(app: App, { db }: { db: Db }): Promise<void> {
  app.get(
    '/api/v1/admin-units',
    {
      schema: {
        tags: TAGS,
        summary: 'Danh sách đơn vị hành chính cấp dưới / List child administrative units',
        description: 'Không có parent: các tỉnh, thành phố. / Without parent: the provinces.',
        querystring: Type.Object({ parent: Type.Optional(Code), at: Type.Optional(At) }),
        response: { 200: Type.Object({ items: Type.Array(UnitDto), at: Type.String({ format: 'date' }) }) },
      },
    },
    async (req) => {
      const { items, at } = await svc.listUnits(db, req.query);
      return { items: items.map(presentUnit), at };
    },
  );

  app.get(
    '/api/v1/admin-units/resolve',
    {
      schema: {
        tags: TAGS,
        summary: 'Tìm mã đơn vị hành chính theo tên / Resolve an administrative unit name to its code',
        description:
          'Không phân biệt dấu, hoa thường, viết tắt (TP., H., P., TT.…). Trùng tên: ambiguous=true và danh sách ứng viên. / ' +
          'Accent-, case- and abbreviation-insensitive. Ambiguous names give ambiguous=true and candidates.',
        querystring: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), parent: Type.Optional(Code), at: Type.Optional(At) }),
        response: { 200: ResolveDto },
      },
    },
    async (req) => presentResolve(await svc.resolveAdminUnit(db, req.query)),
  );

  app.get(
    '/api/v1/admin-units/:code',
    {
      schema: {
        tags: TAGS,
        summary: 'Xem đơn vị hành chính (kèm cấp trên, sáp nhập 2025, các phiên bản) / Show an administrative unit (parents, 2025 links, versions)',
        params: Type.Object({ code: Code }),
        querystring: Type.Object({ at: Type.Optional(At) }),
        response: { 200: UnitDetailDto },
      },
    },
    async (req) => {
      const d = await svc.getUnit(db, req.params.code, req.query);
      return {
        ...presentVersion(d.unit),
        at: d.at,
        parents: d.parents.map(presentUnit),
        successors: d.successors.map(presentLinked),
        predecessors: d.predecessors.map(presentLinked),
        versions: d.versions.map(presentVersion),
      };
    },
  );
}
