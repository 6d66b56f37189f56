import { Type } from 'typebox';
import type { TokenRow, UserRow } from './repository.js';

export const UserDto = Type.Object({
  id: Type.String({ format: 'uuid' }),
  email: Type.String(),
  name: Type.String(),
  isSysadmin: Type.Boolean(),
  disabled: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
});

export const TokenDto = Type.Object({
  id: Type.String({ format: 'uuid' }),
  userId: Type.String({ format: 'uuid' }),
  name: Type.String(),
  prefix: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export const presentUser = (u: UserRow) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  isSysadmin: u.is_sysadmin,
  disabled: u.disabled,
  createdAt: u.created_at.toISOString(),
});

export const presentToken = (t: TokenRow) => ({
  id: t.id,
  userId: t.user_id,
  name: t.name,
  prefix: t.prefix,
  createdAt: t.created_at.toISOString(),
  expiresAt: iso(t.expires_at),
  lastUsedAt: iso(t.last_used_at),
  revokedAt: iso(t.revoked_at),
});
