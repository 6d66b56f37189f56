import pg from 'pg';
import { expect, it, inject } from 'vitest';
import { createTestApp } from '../helpers/app.js';

it('answers /healthz with 200 only while the database answers', async () => {
  const t = await createTestApp();
  try {
    expect((await t.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const admin = new pg.Client({ connectionString: inject('adminUrl') });
    await admin.connect();
    await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`, [t.db.name]);
    await admin.query(`alter database ${t.db.name} allow_connections false`);
    try {
      const down = await t.app.inject({ url: '/healthz' });
      expect(down.statusCode).toBe(503);
      expect(down.json()).toMatchObject({ status: 'unavailable' });
    } finally {
      await admin.query(`alter database ${t.db.name} allow_connections true`);
      await admin.end();
    }
    // Up again: answered 200 once the pool has dropped the connections the server closed (a monitor polls; so does this).
    let up = 0;
    for (let i = 0; i < 30 && up !== 200; i++) {
      up = (await t.app.inject({ url: '/healthz' })).statusCode;
      if (up !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(up).toBe(200);
  } finally {
    await t.close();
  }
});
