import { describe, expect, it } from 'vitest';
import { builtinCkanActions } from './actions.js';

describe('CKAN action registry', () => {
  it('is built per app, with CKAN’s actions, and refuses a name registered twice', () => {
    const a = builtinCkanActions();
    const b = builtinCkanActions();
    expect(a).not.toBe(b);
    expect(a.names()).toEqual(expect.arrayContaining(['package_search', 'package_show', 'resource_create', 'help_show']));
    const extra = { get: true, doc: 'x', run: async () => null };
    a.add('datastore_search', extra);
    expect(a.get('datastore_search')).toBe(extra);
    expect(b.get('datastore_search')).toBeUndefined();
    expect(() => a.add('package_show', extra)).toThrow(/registered twice/);
  });
});
