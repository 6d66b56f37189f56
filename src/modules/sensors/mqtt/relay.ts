import type { Change } from '../live.js';
import { render } from '../sta/read.js';
import { ENTITIES } from '../sta/model.js';
import type { Subscriptions } from './subscriptions.js';
import { topicsOf } from './topics.js';

/** Keeps the keys `$select` names (`id` is `@iot.id`; a link is its navigationLink). */
function project(entity: Record<string, unknown>, select: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of select) {
    const key = name === 'id' ? '@iot.id' : name in entity ? name : `${name}@iot.navigationLink`;
    if (key in entity) out[key] = entity[key];
  }
  return out;
}

/**
 * The messages that announce committed changes to SensorThings subscribers: the entity on its
 * collection's, its own and its parents' topics (projected for each `$select` held), and each
 * property on its property topic — only on topics someone holds.
 */
export function messagesFor(changes: Change[], subs: Subscriptions, base: string): { topic: string; payload: string }[] {
  const out: { topic: string; payload: string }[] = [];
  if (subs.empty) return out;
  for (const { set, row } of changes) {
    const topics = topicsOf(set, row);
    let entity: Record<string, unknown> | undefined;
    for (const t of topics.entity)
      for (const [full, select] of subs.variants(t)) {
        entity ??= render(ENTITIES[set], row, base);
        out.push({ topic: full, payload: JSON.stringify(select ? project(entity, select) : entity) });
      }
    for (const [t, prop] of topics.properties)
      for (const [full] of subs.variants(t)) {
        entity ??= render(ENTITIES[set], row, base);
        out.push({ topic: full, payload: JSON.stringify({ [prop]: entity[prop] ?? null }) });
      }
  }
  return out;
}
