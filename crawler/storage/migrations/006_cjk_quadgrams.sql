-- Four-character Japanese words from the index alone.
--
-- A Japanese word of three characters or more is looked up as the AND of its bigrams and then
-- checked on the title and body of every article found (the bigrams may be there in another
-- order). The check costs about 5 µs a match, most of it reading the article row: on
-- bench/search.py a four-character word found in 14,000 articles of the window spent some
-- 80 ms in checks, over the 100 ms the query kind is allowed. Four characters is the commonest
-- length of a Japanese news compound (人手不足, 最低賃金, 記者会見, 日本政府), so each CJK run also
-- gives its four-character substrings as lexemes: such a word is then one lexeme, exact, with
-- no check. Longer words look up their four-grams (far fewer false candidates than bigrams)
-- and are checked; three-character words keep bigrams and the check.
--
-- The document now covers the first 30,000 characters of each field (004 read 50,000): the
-- worst case, every bigram and four-gram distinct, is then 30,000 × (10 + 16) bytes of lexemes
-- and positions, under tsvector's 1 MB. A Japanese news article is rarely a tenth of that.
--
-- A four-gram has the position of its first character, as the bigram starting there does. The
-- lexemes have four characters, so they cannot collide with bigrams, the last character of a
-- run, or Latin words; a single-character query (a prefix, '雨':*) matches them as it matches
-- the bigrams that start with the same character, so its answer does not change.

CREATE OR REPLACE FUNCTION jpnews_cjk_tsvector(doc text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(string_agg(
               '''' || c || coalesce(c2, '') || ''':' || least(start + k, 16383)
               || CASE WHEN c4 IS NULL THEN ''
                       ELSE ' ''' || c || c2 || c3 || c4 || ''':' || least(start + k, 16383) END,
               ' '), '')::tsvector
    FROM (SELECT r[1] AS run,
                 sum(length(r[1]) + 1) OVER (ORDER BY n) - length(r[1]) - 1 AS start
          FROM regexp_matches(left(doc, 30000), jpnews_cjk_class() || '+', 'g')
               WITH ORDINALITY AS m(r, n)) AS runs,
         LATERAL (SELECT c, k, lead(c) OVER w AS c2, lead(c, 2) OVER w AS c3,
                         lead(c, 3) OVER w AS c4
                  FROM regexp_split_to_table(run, '') WITH ORDINALITY AS t(c, k)
                  WINDOW w AS (ORDER BY k)) AS chars
$$;

-- Existing documents with Japanese or Chinese text, recomputed (005's triggers call the same
-- functions, so new and changed articles get the four-grams from now on).
UPDATE article_search s SET document = jpnews_search_document(a.title, a.body)
FROM articles a
WHERE a.id = s.article_id AND (a.title ~ jpnews_cjk_class() OR a.body ~ jpnews_cjk_class());
ANALYZE article_search;
