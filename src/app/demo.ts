import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SYSTEM_ACTOR } from '../platform/audit/index.js';
import { createUserUnchecked, findUser, systemPrincipal } from '../platform/auth/index.js';
import type { Db } from '../platform/db/index.js';
import { getOrganization, setMember } from '../modules/organizations/index.js';

/** Demo accounts: a sysadmin and data officers at a department, a district and a commune. */
export const DEMO_USERS = [
  { email: 'admin@ninhthuan.tinhso.vn', name: 'Quản trị hệ thống', sysadmin: true },
  { email: 'khcn@ninhthuan.tinhso.vn', name: 'Cán bộ dữ liệu Sở KH&CN', org: 'so-khcn', role: 'admin' },
  { email: 'tnmt@ninhthuan.tinhso.vn', name: 'Cán bộ dữ liệu Sở TN&MT', org: 'so-tnmt', role: 'editor' },
  { email: 'ninhhai@ninhthuan.tinhso.vn', name: 'Cán bộ UBND huyện Ninh Hải', org: 'ubnd-huyen-ninh-hai', role: 'member' },
] as const;

/**
 * Creates the demo accounts once, with a random password shared by all of them that is printed
 * on first start (never a fixed, guessable password).
 */
export async function seedDemo(db: Db, log?: (m: string) => void): Promise<string | undefined> {
  if (await findUser(db, DEMO_USERS[0].email)) return undefined;
  const password = `demo-${crypto.randomBytes(6).toString('base64url')}`;
  for (const u of DEMO_USERS) {
    const user = await createUserUnchecked(db, SYSTEM_ACTOR, { email: u.email, name: u.name, password, isSysadmin: 'sysadmin' in u });
    if ('org' in u) {
      const { org } = await getOrganization(db, u.org);
      await setMember(db, systemPrincipal(), SYSTEM_ACTOR, org.id, user.id, u.role);
    }
  }
  log?.(`demo accounts created (password for all: ${password}): ${DEMO_USERS.map((u) => u.email).join(', ')}`);
  return password;
}

/** Keeps the demo password where the operator can find it again (0600). */
export function writeDemoCredentials(dataDir: string, password: string): void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lines = DEMO_USERS.map((u) => `${u.email}\t${password}`).join('\n');
  fs.writeFileSync(path.join(dataDir, 'demo-credentials.txt'), `${lines}\n`, { mode: 0o600 });
}
