-- The server process (pg_backend_pid) whose session holds the outlet's crawl lock for this run
-- (crawler/storage/lock.py): a second run joins pg_locks to it to name the run in its way.
ALTER TABLE crawl_runs ADD COLUMN IF NOT EXISTS lock_pid integer;
