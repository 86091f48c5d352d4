"""Article dumps: `jpnews export` writes the stored articles as JSON lines, CSV or Parquet;
`jpnews import` reads JSON lines and Parquet back; `jpnews feed` writes what changed since a
consumer's last batch, in the dump's columns.

    fields     the exported columns, their Arrow schema, a row in each format
    selection  which articles (filters, the search query language) and reading them in batches
    output     a file or folder that appears only when complete; compression by file name
    writers    JSON lines, CSV, Parquet and Hive-partitioned Parquet
    export     the command's work: selection → writer → output, with progress
    reader     dumps back into records for the importer
    feed_fields  a change's columns before the dump's, the feed's Arrow schema
    feed       the feed command's work: batches of changes → files and manifests → position
               (the positions themselves: crawler/storage/feed.py)
"""
