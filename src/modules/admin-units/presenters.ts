import { Type } from '../../platform/http/index.js';
import type { LinkedUnitRow, UnitRow } from './repository.js';
import type { Candidate, ResolveResult } from './resolver.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Level = Type.Union([Type.Literal('province'), Type.Literal('district'), Type.Literal('commune')]);
const DateOrNull = Nullable(Type.String({ format: 'date' }));

export const UnitDto = Type.Object({
  code: Type.String(),
  name: Type.String(),
  nameEn: Nullable(Type.String()),
  level: Level,
  type: Type.String(),
});

export const VersionDto = Type.Object({
  ...UnitDto.properties,
  parentCode: Nullable(Type.String()),
  validFrom: DateOrNull,
  validTo: DateOrNull,
});

export const LinkedUnitDto = Type.Object({ ...VersionDto.properties, kind: Type.Union([Type.Literal('full'), Type.Literal('partial')]) });

export const UnitDetailDto = Type.Object({
  ...VersionDto.properties,
  at: Type.String({ format: 'date' }),
  parents: Type.Array(UnitDto),
  successors: Type.Array(LinkedUnitDto),
  predecessors: Type.Array(LinkedUnitDto),
  versions: Type.Array(VersionDto),
});

export const CandidateDto = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: Level,
  type: Type.String(),
  parentCode: Nullable(Type.String()),
  label: Type.String(),
  score: Type.Number({ minimum: 0, maximum: 1 }),
});

export const ResolveDto = Type.Object({
  match: Type.Union([CandidateDto, Type.Null()]),
  alternatives: Type.Array(CandidateDto),
  ambiguous: Type.Boolean(),
  at: Type.String({ format: 'date' }),
});

const finite = (d: string): string | null => (d === 'infinity' || d === '-infinity' ? null : d);

export const presentUnit = (u: UnitRow) => ({ code: u.code, name: u.name, nameEn: u.name_en, level: u.level, type: u.type });

export const presentVersion = (u: UnitRow) => ({ ...presentUnit(u), parentCode: u.parent_code, validFrom: finite(u.valid_from), validTo: finite(u.valid_to) });

export const presentLinked = (u: LinkedUnitRow) => ({ ...presentVersion(u), kind: u.kind });

export const presentCandidate = (c: Candidate) => ({
  code: c.code,
  name: c.name,
  level: c.level,
  type: c.type,
  parentCode: c.parentCode,
  label: c.label,
  score: c.score,
});

export const presentResolve = (r: ResolveResult) => ({
  match: r.match ? presentCandidate(r.match) : null,
  alternatives: r.alternatives.map(presentCandidate),
  ambiguous: r.ambiguous,
  at: r.at,
});
