import { describe, expect, it } from 'vitest';
import { compileEndpoint, endpointMatches, parseEndpoint } from './endpoints.js';
import { RegistrySnapshot } from './snapshot.js';

describe('endpoint rules', () => {
  it('reads "METHOD /path" rules and refuses others', () => {
    expect(parseEndpoint('GET /stations/*')).toEqual({ method: 'GET', path: '/stations/*' });
    expect(parseEndpoint('* /**')).toEqual({ method: '*', path: '/**' });
    expect(parseEndpoint('get /a')).toEqual({ method: 'GET', path: '/a' });
    for (const bad of ['FETCH /a', 'GET a', 'GET /a?b=1', '/a', 'GET /a /b']) expect(parseEndpoint(bad), bad).toBeNull();
  });

  it('matches * within one segment and ** across segments, nothing else', () => {
    const one = compileEndpoint({ method: 'GET', path: '/stations/*' });
    expect(endpointMatches(one, 'GET', '/stations/NT01')).toBe(true);
    expect(endpointMatches(one, 'GET', '/stations/NT01/observations')).toBe(false);
    expect(endpointMatches(one, 'POST', '/stations/NT01')).toBe(false);
    expect(endpointMatches(one, 'GET', '/stations.json')).toBe(false);
    const deep = compileEndpoint({ method: '*', path: '/data/**' });
    expect(endpointMatches(deep, 'DELETE', '/data/a/b/c')).toBe(true);
    expect(endpointMatches(deep, 'GET', '/database')).toBe(false);
    const part = compileEndpoint({ method: 'GET', path: '/files/*.csv' });
    expect(endpointMatches(part, 'GET', '/files/tram.csv')).toBe(true);
    expect(endpointMatches(part, 'GET', '/files/a/tram.csv')).toBe(false);
  });

  it('grants through a subsystem, its member, or a group of either; denies by default', () => {
    const svc = 'VN-NT/GOV/000.00.15.H58/quan-trac/tram';
    const grants = new Map([
      [
        svc,
        [
          { client: 'group:ubnd-xa', endpoint: compileEndpoint({ method: 'GET', path: '/stations/*' }) },
          { client: 'VN-NT/GOV/000.00.20.H58', endpoint: compileEndpoint({ method: '*', path: '/**' }) },
        ],
      ],
    ]);
    const groups = new Map([['VN-NT/GOV/000.00.00.X01', ['ubnd-xa']]]);
    const snap = new RegistrySnapshot(1, 'VN-NT', new Map(), new Map(), grants, groups, new Map(), new Map());
    expect(snap.allowed(svc, 'VN-NT/GOV/000.00.00.X01/mot-cua', 'GET', '/stations/1')).toBe(true);
    expect(snap.allowed(svc, 'VN-NT/GOV/000.00.00.X01/mot-cua', 'POST', '/stations/1')).toBe(false);
    expect(snap.allowed(svc, 'VN-NT/GOV/000.00.20.H58/cong-du-lieu', 'DELETE', '/x/y')).toBe(true);
    expect(snap.allowed(svc, 'VN-NT/GOV/000.00.21.H58/khac', 'GET', '/stations/1')).toBe(false);
    expect(snap.allowed('VN-NT/GOV/000.00.15.H58/quan-trac/khac', 'VN-NT/GOV/000.00.20.H58/cong-du-lieu', 'GET', '/')).toBe(false);
    expect(snap.grantedEndpoints(svc, 'VN-NT/GOV/000.00.00.X01/mot-cua')).toEqual([{ method: 'GET', path: '/stations/*' }]);
  });
});
