-- Accounts: a password hash (Spring Security's delegating format, "{bcrypt}..."; NULL for users made before
-- accounts existed, who cannot sign in until an admin sets a password) and a role.
ALTER TABLE users ADD COLUMN password_hash VARCHAR(200);
ALTER TABLE users ADD COLUMN role VARCHAR(8) DEFAULT 'USER' NOT NULL;
ALTER TABLE users ADD CONSTRAINT ck_users_role CHECK (role IN ('USER', 'ADMIN'));
-- The start-up check "is there an admin?" reads this instead of every user.
CREATE INDEX ix_users_role ON users (role);
