-- The update trigger of 005 plans its statement on every call.
--
-- PL/pgSQL keeps the plan of a static statement for the whole session, made when the function
-- first ran: in a crawl that is the first batch, with a one-row estimate for the transition
-- tables and an empty article_search. The plan it got joined `after` and `before` by a nested
-- loop that read one transition table again for every row of the other, so the story
-- assignment of a 200-article batch took over a second in this trigger: on
-- bench/crawl_throughput.py 16 of Postgres' 18 CPU seconds for 2,000 articles, and the crawl
-- 15-20 % slower than before the search index. EXECUTE plans the statement with the real sizes
-- of this call's transition tables (they are visible to it as to a static statement), which
-- costs about a millisecond per write statement and gives hash joins and key lookups.

CREATE OR REPLACE FUNCTION jpnews_search_rows_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE $sql$
        UPDATE article_search s
        SET story_id = n.story_id, source = n.source, source_group = n.source_group,
            language = n.language, credit_agency = n.credit_agency,
            dated_at = coalesce(n.published_at, n.crawled_at),
            document = CASE WHEN (o.title, o.body) IS DISTINCT FROM (n.title, n.body)
                            THEN jpnews_search_document(n.title, n.body) ELSE s.document END
        FROM after n JOIN before o ON o.id = n.id
        WHERE s.article_id = n.id
          AND (o.title, o.body, o.story_id, o.source, o.source_group, o.language,
               o.credit_agency, coalesce(o.published_at, o.crawled_at))
              IS DISTINCT FROM
              (n.title, n.body, n.story_id, n.source, n.source_group, n.language,
               n.credit_agency, coalesce(n.published_at, n.crawled_at))
    $sql$;
    RETURN NULL;
END
$$;
