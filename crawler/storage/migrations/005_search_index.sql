-- The search document moves out of `articles` into a narrow table of its own.
--
-- Measured on 100,000 articles (bench/search.py): a query matching a quarter of them spent
-- most of its time reading the wide article rows (title, body, summary, provenance, minhash:
-- about 3 KB a row, so one heap page per match) and de-TOASTing each match's tsvector to rank
-- it. `article_search` keeps, per article, only what matching, filtering, facets and story
-- collapsing read: about 100 bytes a row, with the document itself always out of line
-- (toast_tuple_target = 128), so the bitmap heap scan over the GIN matches touches a few pages
-- instead of one page per match, and a document is read only for the articles that are
-- ranked (crawler/storage/search.py ranks a bounded number of candidates).
--
-- The rows are kept by statement-level triggers with transition tables: every writer (the
-- store's batch merge, story assignment, manual SQL) keeps the index right, in the writer's
-- own transaction, with one set-based statement per write statement. The document is
-- recomputed only when the title or the body changed.

-- Exact two-word phrases from the index alone. Every pair of adjacent Latin words that only
-- white space separates is one more lexeme, 'fiscal year', lower-cased and unstemmed: the
-- trailing letters and digits of one whitespace-separated token and the leading ones of the
-- next, so "(fiscal year)" gives it and "fiscal, year" or "fiscal years" do not. That is
-- exactly what crawler.snippets.phrase_pattern matches for a quoted phrase of two plain words
-- (case- and width-insensitive, any white space between, no letter or digit on either edge),
-- so such a phrase needs no check on the text, which would read every matching article; a
-- longer phrase looks up its pairs and is then checked. `latin` is the field with its CJK
-- runs already cut out and replaced by '|', which ends a pair as punctuation does. The
-- lexemes have a space inside, which no word of the `english` configuration and no bigram
-- has, so they cannot collide with other lexemes.
CREATE OR REPLACE FUNCTION jpnews_word_pairs(latin text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_to_tsvector(array_agg(DISTINCT pair)), ''::tsvector)
    FROM (SELECT substring(w FROM '[0-9a-z\u00C0-\u024F]+$') || ' '
                 || substring(lead(w) OVER (ORDER BY k) FROM '^[0-9a-z\u00C0-\u024F]+') AS pair
          FROM regexp_split_to_table(lower(latin), '\s+') WITH ORDINALITY AS t(w, k)) pairs
    WHERE pair IS NOT NULL
$$;

-- 004's field document, plus the word pairs.
CREATE OR REPLACE FUNCTION jpnews_search_field(field text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT to_tsvector('english'::regconfig, latin) || jpnews_word_pairs(latin)
           || CASE WHEN folded ~ jpnews_cjk_class() THEN jpnews_cjk_tsvector(folded)
                   ELSE ''::tsvector END
    FROM (SELECT normalize(field, NFKC) AS folded) AS f,
         LATERAL (SELECT regexp_replace(folded, jpnews_cjk_class() || '+', ' | ', 'g') AS latin)
         AS l
$$;

CREATE TABLE IF NOT EXISTS article_search (
    article_id     bigint PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    story_id       bigint,
    source         text NOT NULL,
    source_group   text,
    language       text,
    credit_agency  text,
    dated_at       timestamptz NOT NULL,
    document       tsvector NOT NULL
) WITH (toast_tuple_target = 128);

CREATE OR REPLACE FUNCTION jpnews_search_rows_added() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO article_search (article_id, story_id, source, source_group, language,
                                credit_agency, dated_at, document)
    SELECT id, story_id, source, source_group, language, credit_agency,
           coalesce(published_at, crawled_at), jpnews_search_document(title, body)
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
                        THEN jpnews_search_document(n.title, n.body) ELSE s.document END
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

DROP TRIGGER IF EXISTS articles_search_insert ON articles;
CREATE TRIGGER articles_search_insert AFTER INSERT ON articles
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION jpnews_search_rows_added();
DROP TRIGGER IF EXISTS articles_search_update ON articles;
CREATE TRIGGER articles_search_update AFTER UPDATE ON articles
    REFERENCING OLD TABLE AS before NEW TABLE AS after
    FOR EACH STATEMENT EXECUTE FUNCTION jpnews_search_rows_changed();

-- What lexemes cannot decide (a Japanese word of three characters or more, a longer phrase)
-- is checked on the article's title and body, once per matching article. Keep the body in the
-- row (compressed if need be; other wide columns leave the row first) rather than in TOAST, so
-- the check reads one heap page instead of the TOAST index and its chunks. New and rewritten
-- rows only; the check is right either way.
ALTER TABLE articles ALTER COLUMN body SET STORAGE MAIN;

-- Existing articles, then the old column: its document was computed a second time per write.
INSERT INTO article_search (article_id, story_id, source, source_group, language, credit_agency,
                            dated_at, document)
SELECT id, story_id, source, source_group, language, credit_agency,
       coalesce(published_at, crawled_at), jpnews_search_document(title, body)
FROM articles
ON CONFLICT (article_id) DO NOTHING;
DROP INDEX IF EXISTS articles_search_idx;
ALTER TABLE articles DROP COLUMN IF EXISTS search;
-- 004's indexes for the window and the group on `articles`: searches filter `article_search`
-- now, and every write would keep them for nothing.
DROP INDEX IF EXISTS articles_dated_idx;
DROP INDEX IF EXISTS articles_group_dated_idx;

-- The GIN index is the table's only index besides its key, on purpose: the window and the
-- filters are tested on the rows the GIN index finds, and with an index on the time the
-- planner may prefer it and then test the query on every document of the window.
CREATE INDEX IF NOT EXISTS article_search_document_idx ON article_search USING gin (document);
ANALYZE article_search;
