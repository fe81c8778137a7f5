-- custom: trigram matching for the global search (issue 19). PostgreSQL ships pg_trgm in contrib; PGlite loads it
-- from @electric-sql/pglite/contrib/pg_trgm (server/db/client.ts). The trigram indexes follow in the next migration.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
