-- Partner organisations (issue 8 §6): the register an administrator keeps of the police
-- forces, ambulance trusts, hostels … that submit to the LDIS, each with a display name.
-- A partner organisation is named by the same id as ldis_partner_tokens.partner and a
-- partner-scoped user's scope_id (lower case, e.g. west-midlands-police); those existed
-- before the register and are registered here under their id.
CREATE TABLE partner_organisations (
  id          text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_.:-]{0,99}$'),
  name        text NOT NULL CHECK (name <> '' AND length(name) <= 200),
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

INSERT INTO partner_organisations (id, name, created_by)
SELECT DISTINCT partner, partner, 'migration' FROM ldis_partner_tokens
ON CONFLICT (id) DO NOTHING;

INSERT INTO partner_organisations (id, name, created_by)
SELECT DISTINCT scope_id, scope_id, 'migration' FROM users
WHERE scope_type = 'partner' AND scope_id ~ '^[a-z0-9][a-z0-9_.:-]{0,99}$'
ON CONFLICT (id) DO NOTHING;
