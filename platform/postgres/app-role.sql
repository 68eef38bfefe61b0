-- The login role the application runs as in production, apart from the role that owns the
-- tables and runs the migrations (`redline db upgrade`). Run it as a superuser (BYPASSRLS needs
-- one) after migrating, and again after each upgrade that adds tables:
--
--   psql "$ADMIN_URL" -v ON_ERROR_STOP=1 -v app_role=redline_app -v app_password=... \
--        -f platform/postgres/app-role.sql
--
-- Then DATABASE_URL names that role. It reads and writes every table but may only read and
-- append to the audit log (no UPDATE, DELETE or TRUNCATE of audit_entry; it owns nothing, so it
-- cannot drop the triggers either), cannot change the schema, and reads every province in system
-- sessions (jobs, sign-in) by BYPASSRLS; requests still switch to redline_scoped, whose
-- row-level-security policies hold them to their scope. Running it again is harmless.

SELECT format('CREATE ROLE %I LOGIN', :'app_role')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'app_role') \gexec
ALTER ROLE :"app_role" WITH LOGIN BYPASSRLS PASSWORD :'app_password';
GRANT redline_scoped TO :"app_role";
GRANT USAGE ON SCHEMA public TO :"app_role";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app_role";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app_role";
REVOKE ALL ON alembic_version FROM :"app_role";
GRANT SELECT ON alembic_version TO :"app_role";
REVOKE UPDATE, DELETE, TRUNCATE ON audit_entry FROM :"app_role";
