-- Search over English and Japanese text with core Postgres only (no pg_trgm, pg_bigm or
-- PGroonga: the embedded server has none of them).
--
-- The search document of an article is one tsvector:
--   * Latin-script words through the `english` configuration (stemmed, stop words dropped);
--   * every run of Japanese/Chinese characters as its overlapping character bigrams, plus the
--     run's last character on its own, so that every character of the run starts a lexeme: a
--     word of n >= 2 characters is the bigrams it consists of, one character `c` is the prefix
--     query `c:*` (雨 finds 大雨 through 雨が, or through 雨 at the end of a run);
--   * title lexemes weighted A, body lexemes B;
--   * all of it after NFKC, the width folding of the normaliser (full-width ＪＲ = JR,
--     half-width katakana = full-width) and more.
-- crawler/storage/search.py builds queries against exactly this; change the two together, and
-- a change here needs a migration that recomputes the column (a replaced function does not
-- rewrite stored values).

-- The characters indexed as bigrams: hiragana, katakana with the prolonged sound mark,
-- 々〆〇, CJK ideographs (extension A, the unified block, compatibility ideographs). Not the
-- middle dot ・ nor Japanese punctuation: they end a run, as spaces end an English word.
CREATE OR REPLACE FUNCTION jpnews_cjk_class() RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT '[\u3041-\u3096\u309D-\u309F\u30A1-\u30FA\u30FC-\u30FF\u3005-\u3007'
           '\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF]'
$$;

-- Bigrams of the CJK runs of `doc`, with positions. Linear in the text: a run is split into
-- characters once (substr() on a long run would be quadratic). Only the first 50,000
-- characters are read, which keeps the worst case (all bigrams distinct) under tsvector's
-- 1 MB limit; positions stop at 16,383 like Postgres' own, which is why phrases and words of
-- three characters or more are re-checked on the text rather than through positions.
CREATE OR REPLACE FUNCTION jpnews_cjk_tsvector(doc text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(string_agg('''' || c || coalesce(nxt, '') || ''':' || least(start + k, 16383),
                               ' '), '')::tsvector
    FROM (SELECT r[1] AS run,
                 sum(length(r[1]) + 1) OVER (ORDER BY n) - length(r[1]) - 1 AS start
          FROM regexp_matches(left(doc, 50000), jpnews_cjk_class() || '+', 'g')
               WITH ORDINALITY AS m(r, n)) AS runs,
         LATERAL (SELECT c, k, lead(c) OVER (ORDER BY k) AS nxt
                  FROM regexp_split_to_table(run, '') WITH ORDINALITY AS t(c, k)) AS chars
$$;

-- One field (title or body) of the document: English words, then the CJK bigrams.
CREATE OR REPLACE FUNCTION jpnews_search_field(field text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT to_tsvector('english'::regconfig,
                       regexp_replace(folded, jpnews_cjk_class() || '+', ' ', 'g'))
           || CASE WHEN folded ~ jpnews_cjk_class() THEN jpnews_cjk_tsvector(folded)
                   ELSE ''::tsvector END
    FROM (SELECT normalize(field, NFKC) AS folded) AS f
$$;

-- The search path is fixed at creation: pg_dump restores with an empty one and recomputes the
-- column through this function, which must still find its helpers.
CREATE OR REPLACE FUNCTION jpnews_search_document(title text, body text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path FROM CURRENT AS $$
    SELECT setweight(coalesce(jpnews_search_field(title), ''::tsvector), 'A')
           || setweight(coalesce(jpnews_search_field(body), ''::tsvector), 'B')
$$;

-- Replace the old document (runs of kana/kanji as single tokens) and add the time the search
-- window and the newest-first order use: the publication time, or the fetch time of a page that
-- prints none. One ALTER TABLE: the table is rewritten once, existing rows included.
DROP INDEX IF EXISTS articles_search_idx;
ALTER TABLE articles
    DROP COLUMN IF EXISTS search,
    ADD COLUMN search tsvector GENERATED ALWAYS AS (jpnews_search_document(title, body)) STORED,
    ADD COLUMN IF NOT EXISTS dated_at timestamptz
        GENERATED ALWAYS AS (coalesce(published_at, crawled_at)) STORED;
CREATE INDEX IF NOT EXISTS articles_search_idx ON articles USING gin (search);
CREATE INDEX IF NOT EXISTS articles_dated_idx ON articles (dated_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS articles_group_dated_idx ON articles (source_group, dated_at DESC);
