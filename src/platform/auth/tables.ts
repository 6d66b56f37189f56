import type { Generated } from 'kysely';

export type AuthTables = {
  login_failure: { id: Generated<number>; account: string; ip: string | null; at: Generated<Date> };
  app_user: {
    id: Generated<string>;
    email: string;
    name: string;
    password_hash: string | null;
    is_sysadmin: Generated<boolean>;
    disabled: Generated<boolean>;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  user_session: {
    id_hash: string;
    user_id: string;
    csrf_token: string;
    created_at: Generated<Date>;
    expires_at: Date;
    ip: string | null;
    user_agent: string | null;
  };
  api_token: {
    id: Generated<string>;
    user_id: string;
    name: string;
    token_hash: string;
    prefix: string;
    created_at: Generated<Date>;
    expires_at: Date | null;
    last_used_at: Date | null;
    revoked_at: Date | null;
  };
};
