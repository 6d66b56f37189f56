import { sql } from 'kysely';
import type { AuditActor } from '../../../platform/audit/index.js';
import type { Principal } from '../../../platform/auth/index.js';
import type { Db } from '../../../platform/db/index.js';
import { isAppError } from '../../../platform/http/index.js';
import { slugify } from '../../../platform/text/index.js';
import { createDataset, updateDataset, type DatasetInput } from '../../catalog/index.js';
import type { StationFields } from './input.js';

/** The catalog dataset a station's data appears as (the plan's open monitoring data), by the station's unit. */
function datasetInput(id: number, f: StationFields, base: string): DatasetInput {
  const water = f.kind === 'water';
  const kind = water ? { vi: 'nước mặt', en: 'surface water' } : { vi: 'không khí', en: 'ambient air' };
  const root = base.replace(/\/$/, '');
  return {
    title: `Số liệu quan trắc ${kind.vi} — ${f.name}`,
    title_en: `${kind.en[0]!.toUpperCase()}${kind.en.slice(1)} monitoring data — ${f.name}`,
    notes:
      `Số liệu ${f.mode === 'periodic' ? 'quan trắc định kỳ' : 'quan trắc tự động'} tại trạm ${f.name} (mã ${f.code})` +
      `${f.operator ? `, đơn vị vận hành: ${f.operator}` : ''}. ${water ? 'Kết quả phân tích mẫu nước và chỉ số VN_WQI (QĐ 1460/QĐ-TCMT).' : 'Số liệu theo giờ và chỉ số VN_AQI (QĐ 1459/QĐ-TCMT).'} Dữ liệu mở qua SensorThings API v1.1 và MQTT, cập nhật khi số liệu về.`,
    notes_en: `${f.mode === 'periodic' ? 'Periodic' : 'Automatic'} monitoring at the station ${f.name} (code ${f.code}). Open through the SensorThings API v1.1 and MQTT, updated as data arrives.`,
    owner_org: f.org ?? undefined,
    access_level: 'public',
    license_id: 'cc-by',
    tags: ['quan trắc môi trường', water ? 'nước mặt' : 'không khí', water ? 'VN_WQI' : 'VN_AQI'],
    ...(f.adminUnit ? { spatial_codes: [f.adminUnit.code] } : {}),
    bbox: [f.longitude, f.latitude, f.longitude, f.latitude],
    extras: [{ key: 'sensorthings_thing', value: String(id) }],
    resources: [
      {
        name: 'SensorThings API: trạm và các thông số / the station and its parameters',
        url: `${root}/v1.1/Things(${id})?$expand=Locations,Datastreams`,
        format: 'JSON',
      },
      water
        ? { name: 'Mẫu nước và VN_WQI / water samples with VN_WQI', url: `${root}/api/v1/sensors/stations/${id}/water-samples`, format: 'JSON' }
        : { name: 'Giá trị mới nhất (dạng OpenAQ) / latest values (OpenAQ shape)', url: `${root}/api/v1/air/locations/${id}/latest`, format: 'JSON' },
      { name: 'Trang trạm / station page', url: `${root}/environment/stations/${id}`, format: 'HTML' },
    ],
  };
}

/**
 * Publishes a station as a catalog dataset of its unit, in the caller's transaction, and keeps its
 * name on the Thing (`properties.dataset`); an edit of the station updates the same dataset.
 */
export async function publishStation(trx: Db, p: Principal, actor: AuditActor, id: number, f: StationFields, base: string): Promise<string> {
  if (!f.org) return '';
  const current = (await sql<{ dataset: string | null }>`select properties->>'dataset' as dataset from sta_thing where id = ${id}`.execute(trx)).rows[0]
    ?.dataset;
  const input = datasetInput(id, f, base);
  if (current) {
    // An edit changes what the station says of itself, never the resources, tags or extras a unit added since.
    const { resources: _r, tags: _t, extras: _e, ...own } = input;
    const d = await updateDataset(trx, p, actor, current, { ...own, spatial_codes: f.adminUnit ? [f.adminUnit.code] : [] }, 'patch').catch((e: unknown) => {
      if (isAppError(e) && e.status === 404) return undefined;
      throw e;
    });
    if (d) return d.dataset.name;
  }
  const name = `quan-trac-${slugify(f.code).slice(0, 60) || 'tram'}-${id}`;
  const made = await createDataset(trx, p, actor, { ...input, name });
  await sql`update sta_thing set properties = coalesce(properties, '{}'::jsonb) || jsonb_build_object('dataset', ${made.dataset.name}::text) where id = ${id}`.execute(
    trx,
  );
  return made.dataset.name;
}
