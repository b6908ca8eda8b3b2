-- The inventory schema, version 1 (SQLite). Keep in step with postgres/0001_init.sql.
CREATE TABLE images (
	id           INTEGER PRIMARY KEY,
	repository   TEXT NOT NULL,
	digest       TEXT NOT NULL,
	platform     TEXT NOT NULL DEFAULT '',
	created      TEXT NOT NULL DEFAULT '',
	owner        TEXT NOT NULL DEFAULT '',
	index_digest TEXT NOT NULL DEFAULT '',
	distro       TEXT NOT NULL DEFAULT '',
	base_name    TEXT NOT NULL DEFAULT '',
	base_digest  TEXT NOT NULL DEFAULT '',
	UNIQUE (repository, digest)
);
CREATE INDEX images_digest ON images (digest);
CREATE INDEX images_base_digest ON images (base_digest);
CREATE INDEX images_base_name ON images (base_name);

CREATE TABLE layers (
	id      INTEGER PRIMARY KEY,
	diff_id TEXT NOT NULL UNIQUE,
	digest  TEXT NOT NULL DEFAULT '',
	name    TEXT NOT NULL DEFAULT '',
	owner   TEXT NOT NULL DEFAULT ''
);

CREATE TABLE image_layers (
	image_id INTEGER NOT NULL REFERENCES images (id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	layer_id INTEGER NOT NULL REFERENCES layers (id),
	base     INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (image_id, position)
);
CREATE INDEX image_layers_layer ON image_layers (layer_id, image_id, base);

-- Distinct packages; "ident" is every identifying column joined, so each is stored once.
CREATE TABLE packages (
	id             INTEGER PRIMARY KEY,
	ident          TEXT NOT NULL UNIQUE,
	ecosystem      TEXT NOT NULL,
	name           TEXT NOT NULL,
	version        TEXT NOT NULL,
	arch           TEXT NOT NULL DEFAULT '',
	source         TEXT NOT NULL DEFAULT '',
	source_version TEXT NOT NULL DEFAULT '',
	purl           TEXT NOT NULL DEFAULT '',
	purl_base      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX packages_name ON packages (name);
CREATE INDEX packages_source ON packages (source);
CREATE INDEX packages_purl_base ON packages (purl_base);

CREATE TABLE layer_packages (
	layer_id   INTEGER NOT NULL REFERENCES layers (id),
	package_id INTEGER NOT NULL REFERENCES packages (id),
	PRIMARY KEY (layer_id, package_id)
) WITHOUT ROWID;
CREATE INDEX layer_packages_package ON layer_packages (package_id, layer_id);

CREATE TABLE tags (
	repository TEXT NOT NULL,
	tag        TEXT NOT NULL,
	digest     TEXT NOT NULL,
	PRIMARY KEY (repository, tag)
);
CREATE INDEX tags_digest ON tags (digest);

CREATE TABLE tag_history (
	id         INTEGER PRIMARY KEY,
	repository TEXT NOT NULL,
	tag        TEXT NOT NULL,
	digest     TEXT NOT NULL,
	seen_at    TEXT NOT NULL
);
CREATE INDEX tag_history_tag ON tag_history (repository, tag, id);

CREATE TABLE owners (
	repository TEXT NOT NULL,
	layer      TEXT NOT NULL DEFAULT '',
	team       TEXT NOT NULL,
	contact    TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (repository, layer)
);
