-- The in-run monitors' results (crawler/monitors.py): each monitor's status and reason, the
-- share of articles with each field and the schema validation errors. NULL for runs recorded
-- before the monitors existed, or with Spidermon switched off.
ALTER TABLE crawl_runs ADD COLUMN IF NOT EXISTS monitors jsonb;
