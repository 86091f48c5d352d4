-- A fetched page whose parse gave an article is known to the next incremental crawl only once
-- that article is stored: the raw page and the article reach the database in different batches,
-- and a crawl killed between the two must fetch the page again (crawler/storage/page_checks.py).
ALTER TABLE page_checks ADD COLUMN IF NOT EXISTS gave_article boolean NOT NULL DEFAULT false;
