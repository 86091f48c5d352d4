-- The search row carries the text its checks read.
--
-- What lexemes cannot decide (a Japanese word of three characters or more, a phrase other than
-- two plain words) is checked on the title and the body of every article the index finds. With
-- the text only in `articles`, each check was a probe of the articles' primary key and a read of
-- a wide row: on bench/search.py a four-character word found in 14,000 articles of the window
-- spent about 80 ms there, most of its time. Here the check reads the text from the search row
-- the bitmap heap scan is already on, and never leaves `article_search`.
--
-- `text` is the title and the body joined by U+001F (unit separator): neither a space for a
-- phrase's `\s` nor a letter, so no phrase and no Japanese word matches across the two fields.
-- STORAGE MAIN keeps it in the row, compressed if need be (a column of that storage leaves the
-- row only when the row would not fit a page otherwise), while the document still goes out of
-- line at 128 bytes: the row costs about the compressed text more, and the check one heap page
-- it already reads.

ALTER TABLE article_search ADD COLUMN IF NOT EXISTS text text;
ALTER TABLE article_search ALTER COLUMN text SET STORAGE MAIN;

CREATE OR REPLACE FUNCTION jpnews_search_text(title text, body text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(title, '') || chr(31) || coalesce(body, '')
$$;

CREATE OR REPLACE FUNCTION jpnews_search_rows_added() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO article_search (article_id, story_id, source, source_group, language,
                                credit_agency, dated_at, document, text)
    SELECT id, story_id, source, source_group, language, credit_agency,
           coalesce(published_at, crawled_at), jpnews_search_document(title, body),
           jpnews_search_text(title, body)
    FROM added;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION jpnews_search_rows_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE article_search s
    SET story_id = n.story_id, source = n.source, source_group = n.source_group,
        language = n.language, credit_agency = n.credit_agency,
        dated_at = coalesce(n.published_at, n.crawled_at),
        document = CASE WHEN (o.title, o.body) IS DISTINCT FROM (n.title, n.body)
                        THEN jpnews_search_document(n.title, n.body) ELSE s.document END,
        text = jpnews_search_text(n.title, n.body)
    FROM after n JOIN before o ON o.id = n.id
    WHERE s.article_id = n.id
      AND (o.title, o.body, o.story_id, o.source, o.source_group, o.language, o.credit_agency,
           coalesce(o.published_at, o.crawled_at))
          IS DISTINCT FROM
          (n.title, n.body, n.story_id, n.source, n.source_group, n.language, n.credit_agency,
           coalesce(n.published_at, n.crawled_at));
    RETURN NULL;
END
$$;

UPDATE article_search s SET text = jpnews_search_text(a.title, a.body)
FROM articles a
WHERE a.id = s.article_id AND s.text IS DISTINCT FROM jpnews_search_text(a.title, a.body);
ALTER TABLE article_search ALTER COLUMN text SET NOT NULL;

-- The body no longer needs to stay in the article row for the checks (005 kept it there).
ALTER TABLE articles ALTER COLUMN body SET STORAGE EXTENDED;
ANALYZE article_search;
