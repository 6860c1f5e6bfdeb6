-- Read-only keys, for apps that only show an account (portfolio trackers, dashboards). They are stored with their own
-- roles ('fan:read' and so on) rather than a flag beside the role, so that they fail closed: a silo of the previous
-- version knows no such role and refuses such a key everything a role guards, where it would ignore a flag and let the
-- key trade.
ALTER TABLE exchange.api_keys DROP CONSTRAINT IF EXISTS api_keys_role_check;
ALTER TABLE exchange.api_keys ADD CONSTRAINT api_keys_role_check
    CHECK (role IN ('fan', 'celebrity', 'operator', 'fan:read', 'celebrity:read', 'operator:read'));
