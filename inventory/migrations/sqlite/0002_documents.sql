-- Version 2 (SQLite): the manifests, indexes and configs of recorded images,
-- as the registry serves them, so that a fleet rebase need not read them
-- again. Content-addressed: verified against digest when read. Keep in step
-- with postgres/0002_documents.sql.
CREATE TABLE documents (
	digest     TEXT NOT NULL PRIMARY KEY,
	media_type TEXT NOT NULL,
	body       BLOB NOT NULL
);
