-- 交付进展 now comes from delivery projects (issue 16): the milestones kept by hand in the portal move into a
-- delivery project per (account, project name) — without a contract, since none was on record — and the
-- hand-kept table goes. planned_on is the old due day (or the day it was written); actual_on the day done.
ALTER TABLE "delivery_projects" ALTER COLUMN "contract_id" DROP NOT NULL;--> statement-breakpoint
INSERT INTO "delivery_projects" ("workspace_id", "account_id", "contract_id", "name", "created_at")
SELECT "workspace_id", "account_id", NULL, "project", min("created_at")
FROM "portal_milestones"
GROUP BY "workspace_id", "account_id", "project";--> statement-breakpoint
INSERT INTO "project_milestones" ("workspace_id", "project_id", "title", "position", "planned_on", "actual_on", "created_at")
SELECT m."workspace_id", p."id", m."title", m."position",
  coalesce(case when m."due_on" ~ '^\d{4}-\d{2}-\d{2}$' then m."due_on"::date end, m."created_at"::date),
  case when m."status" = 'done' then coalesce(case when m."done_on" ~ '^\d{4}-\d{2}-\d{2}$' then m."done_on"::date end, m."updated_at"::date) end,
  m."created_at"
FROM "portal_milestones" m
JOIN "delivery_projects" p ON p."workspace_id" = m."workspace_id" AND p."account_id" = m."account_id" AND p."name" = m."project" AND p."contract_id" IS NULL;--> statement-breakpoint
DROP TABLE "portal_milestones" CASCADE;
