-- The embedded store. One row per article, keyed by the hash of its normalized canonical URL.
-- JSON columns hold lists/objects as JSON text. Times are ISO 8601 with offset; *_ts columns are
-- the same instants as UTC epoch seconds, derived on write, for ordering and range filters.
CREATE TABLE IF NOT EXISTS documents (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    url TEXT NOT NULL,
    canonical_url TEXT NOT NULL,
    source TEXT NOT NULL,
    source_type TEXT NOT NULL DEFAULT 'news',
    title TEXT,
    body TEXT,
    authors TEXT NOT NULL DEFAULT '[]',
    published_at TEXT,
    modified_at TEXT,
    crawled_at TEXT NOT NULL,
    first_seen_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    section TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    image TEXT,
    content_hash TEXT,
    language TEXT,
    language_score REAL,
    keywords TEXT NOT NULL DEFAULT '[]',
    topics TEXT NOT NULL DEFAULT '[]',
    entities TEXT NOT NULL DEFAULT '{}',
    regions TEXT NOT NULL DEFAULT '[]',
    cluster_id TEXT,
    duplicate_of TEXT,
    claim TEXT,             -- fact-check items: the claim checked
    verdict TEXT,           -- false | misleading | fabricated | manipulated | satire | ...
    verdict_label TEXT,     -- the verdict as the fact-checker printed it
    published_ts REAL,      -- published_at as epoch seconds (NULL when unknown)
    seen_ts REAL NOT NULL   -- published_ts, or first_seen_at when the date is unknown
);
CREATE INDEX IF NOT EXISTS documents_source ON documents(source, seen_ts);
CREATE INDEX IF NOT EXISTS documents_seen ON documents(seen_ts);
CREATE INDEX IF NOT EXISTS documents_cluster ON documents(cluster_id);
CREATE INDEX IF NOT EXISTS documents_hash ON documents(content_hash);
-- Columns added after a store was first created (claim, verdict, verdict_label, ...) are added
-- to older stores by SqliteStore on open (ALTER TABLE, guarded by PRAGMA table_info), and
-- their indexes created there, after the columns exist.

-- Full-text index over title and body, kept in step by triggers (external content table).
CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5(
    title, body,
    content='documents', content_rowid='rowid',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS documents_ai AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts(rowid, title, body) VALUES (new.rowid, new.title, new.body);
END;
CREATE TRIGGER IF NOT EXISTS documents_ad AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, body)
        VALUES ('delete', old.rowid, old.title, old.body);
END;
CREATE TRIGGER IF NOT EXISTS documents_au AFTER UPDATE OF title, body ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, body)
        VALUES ('delete', old.rowid, old.title, old.body);
    INSERT INTO documents_fts(rowid, title, body) VALUES (new.rowid, new.title, new.body);
END;

-- Crawl state per source: what was fetched, with which lastmod, so re-crawls skip the unchanged.
CREATE TABLE IF NOT EXISTS crawl_state (
    source TEXT NOT NULL,
    url TEXT NOT NULL,           -- normalized article URL
    lastmod TEXT,                -- last modification mark seen in discovery (sitemap, API, feed)
    fetched_at TEXT NOT NULL,
    doc_id TEXT,
    status TEXT NOT NULL,        -- stored | failed | not_html | dropped | lost
    PRIMARY KEY (source, url)
) WITHOUT ROWID;

-- Per-source marks such as the newest WordPress `modified` seen, for modified_after.
CREATE TABLE IF NOT EXISTS source_marks (
    source TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (source, name)
) WITHOUT ROWID;
