import { ENTITIES, isSetName, type SetName } from './model.js';
import { bad } from './errors.js';

/** One step of a resource path: a set (and maybe an id), reached from the step before by `link`. */
export interface Step {
  set: SetName;
  id?: number;
  /** The link name from the previous step (none for the first). */
  link?: string;
}

export interface ResourcePath {
  steps: Step[];
  /** `/name`: one property of the entity; `/name/$value`: its raw value. */
  property?: string;
  value?: boolean;
  /** `/$ref`: links (selfLinks) instead of entities. */
  ref?: boolean;
}

const SEGMENT = /^([A-Za-z]+)(?:\((\d{1,18})\))?$/;

/** Parses what follows `/v1.1/`: `Things(1)/Datastreams`, `Datastreams(2)/Observations/$ref`, `Things(1)/name/$value`. */
export function parsePath(rest: string): ResourcePath {
  const segs = rest.split('/').filter((s) => s !== '');
  const steps: Step[] = [];
  const out: ResourcePath = { steps };
  for (let i = 0; i < segs.length; i++) {
    const seg = decodeURIComponent(segs[i]!);
    if (seg === '$ref') {
      if (i !== segs.length - 1 || !steps.length) throw bad(seg, '$ref ends a path to entities', '$ref chỉ đứng cuối đường dẫn tới thực thể');
      out.ref = true;
      continue;
    }
    if (seg === '$value') {
      if (i !== segs.length - 1 || !out.property) throw bad(seg, '$value follows a property', '$value phải theo sau một thuộc tính');
      out.value = true;
      continue;
    }
    const m = SEGMENT.exec(seg);
    if (!m)
      throw bad(seg, 'not a valid path segment (an entity set, a navigation link or a property; ids are integers)', 'không phải phân đoạn đường dẫn hợp lệ');
    const [, name, id] = m as unknown as [string, string, string | undefined];
    if (out.property) throw bad(seg, 'nothing may follow a property but $value', 'sau thuộc tính chỉ có thể là $value');
    if (!steps.length) {
      if (!isSetName(name)) throw bad(seg, `not an entity set (${Object.keys(ENTITIES).join(', ')})`, 'không phải tập thực thể');
      steps.push({ set: name, ...(id ? { id: Number(id) } : {}) });
      continue;
    }
    const prev = steps.at(-1)!;
    const def = ENTITIES[prev.set];
    const link = def.links[name];
    if (link) {
      if (prev.id === undefined && !(steps.length > 1 && ENTITIES[steps.at(-2)!.set].links[prev.link!]?.one))
        throw bad(seg, `${prev.set} needs an id before a navigation link`, `${prev.set} cần một id trước liên kết`);
      if (link.one && id) throw bad(seg, `${name} is a single entity: it takes no id`, `${name} là một thực thể: không kèm id`);
      steps.push({ set: link.target, link: name, ...(id ? { id: Number(id) } : {}) });
      continue;
    }
    if (def.props[name] && !id) {
      if (prev.id === undefined && !(prev.link && ENTITIES[steps.at(-2)!.set].links[prev.link]?.one))
        throw bad(seg, 'a property belongs to one entity: give its id', 'thuộc tính thuộc về một thực thể: cần id');
      out.property = name;
      continue;
    }
    throw bad(seg, `${prev.set} has no property or navigation link of this name`, `${prev.set} không có thuộc tính hoặc liên kết này`);
  }
  return out;
}

/** True when the path names one entity (the last step has an id, or is reached by a to-one link). */
export function isSingle(p: ResourcePath): boolean {
  const last = p.steps.at(-1);
  if (!last) return false;
  if (last.id !== undefined) return true;
  if (p.steps.length < 2) return false;
  return !!ENTITIES[p.steps.at(-2)!.set].links[last.link!]?.one;
}
