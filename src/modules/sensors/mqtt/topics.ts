import type { AppError } from '../../../platform/http/index.js';
import { ENTITIES, type SetName } from '../sta/model.js';
import { parseOptions } from '../sta/options.js';
import { parsePath } from '../sta/path.js';

const PREFIX = 'v1.1/';

/** The topics a client may publish to, to create an Observation: `v1.1/Datastreams(ID)/Observations`, or `v1.1/Observations` with the Datastream in the body. */
export function createTopic(topic: string): { datastream?: number } | undefined {
  if (topic === 'v1.1/Observations') return {};
  const m = /^v1\.1\/Datastreams\((\d{1,15})\)\/Observations$/.exec(topic);
  return m ? { datastream: Number(m[1]) } : undefined;
}

/** Where a client's refused messages are explained to it (only it may subscribe). */
export const errorTopic = (clientId: string) => `tinhso/errors/${clientId}`;

/**
 * A subscription topic: a SensorThings resource path (`v1.1/Datastreams(1)/Observations`,
 * `v1.1/Things(2)`, `v1.1/Observations(7)/result`), optionally with `?$select=a,b`. Answers the
 * topic without the query (where changes are published) and the selected names, or the error.
 */
export function subscriptionTopic(topic: string): { base: string; select?: string[] } | { error: AppError } {
  try {
    if (!topic.startsWith(PREFIX)) throw new Error('not a SensorThings topic');
    const [rest, query, more] = topic.slice(PREFIX.length).split('?');
    if (more !== undefined || rest!.includes('+') || rest!.includes('#')) throw new Error('wildcards are not SensorThings topics');
    const path = parsePath(rest!);
    if (path.ref || path.value) throw new Error('$ref and $value are not topics');
    const last = path.steps.at(-1)!;
    if (path.property && last.id === undefined) throw new Error('a property topic names one entity');
    let select: string[] | undefined;
    if (query !== undefined) {
      const params = new URLSearchParams(query);
      const keys = [...params.keys()];
      if (keys.some((k) => k !== '$select') || path.property) throw new Error('only $select is allowed, on an entity or collection topic');
      select = parseOptions(last.set, { $select: params.get('$select') ?? '' }).select;
    }
    return { base: `${PREFIX}${rest}`, select };
  } catch (e) {
    return { error: e as AppError };
  }
}

/**
 * The topics a change of this entity is published to: its collection, itself, its properties,
 * and the collections it is in through its to-one links (an Observation:
 * `v1.1/Datastreams(d)/Observations`, `v1.1/FeaturesOfInterest(f)/Observations`).
 */
export function topicsOf(set: SetName, row: Record<string, unknown>): { entity: string[]; properties: [string, string][] } {
  const d = ENTITIES[set];
  const self = `${PREFIX}${set}(${String(row.id)})`;
  const entity = [`${PREFIX}${set}`, self];
  for (const link of Object.values(d.links)) {
    if (!link.one) continue;
    const parent = row[link.fk];
    if (parent === null || parent === undefined) continue;
    const back = Object.entries(ENTITIES[link.target].links).find(([, l]) => l.target === set && 'back' in l && l.back === link.fk);
    if (back) entity.push(`${PREFIX}${link.target}(${String(parent)})/${back[0]}`);
  }
  return { entity, properties: Object.keys(d.props).map((p) => [`${self}/${p}`, p]) };
}
