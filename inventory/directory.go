package inventory

import (
	"context"
	"database/sql"
	"slices"
	"sync"
)

// directory is every image of the store with its tags, by id: what who-has
// needs when a package is in a good part of the fleet.
type directory struct {
	version int64 // SQLite's data_version when read; see dirCache
	images  map[int64]Image
}

// maxDirectory bounds the images a cached directory holds.
const maxDirectory = 200_000

// dirCache keeps the last directory of a SQLite store. SQLite's
// "PRAGMA data_version", asked on a connection that never writes, changes
// whenever any other connection, in this process or another, commits: while
// it stays the same the cached directory is exact.
type dirCache struct {
	mu   sync.Mutex
	conn *sql.Conn // the connection data_version is asked on
	dir  *directory
}

func (c *dirCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn != nil {
		c.conn.Close()
		c.conn = nil
	}
	c.dir = nil
}

// dataVersion returns SQLite's data_version on the cache's own connection.
func (s *Store) dataVersion(ctx context.Context) (int64, error) {
	c := &s.dirs
	if c.conn == nil {
		conn, err := s.db.Conn(ctx)
		if err != nil {
			return 0, err
		}
		c.conn = conn
	}
	var v int64
	if err := c.conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err != nil {
		c.conn.Close()
		c.conn = nil
		return 0, err
	}
	return v, nil
}

// imageDirectory returns every image with its tags, from the cache when the
// store has not changed since it was read (SQLite only).
func (s *Store) imageDirectory(ctx context.Context) (*directory, error) {
	if s.d.name() != "sqlite" {
		return s.readDirectory(ctx)
	}
	c := &s.dirs
	c.mu.Lock()
	defer c.mu.Unlock()
	v1, err := s.dataVersion(ctx)
	if err != nil {
		return nil, err
	}
	if c.dir != nil && c.dir.version == v1 {
		return c.dir, nil
	}
	d, err := s.readDirectory(ctx)
	if err != nil {
		return nil, err
	}
	v2, err := s.dataVersion(ctx)
	if err != nil {
		return nil, err
	}
	d.version = v1
	if v1 == v2 && len(d.images) <= maxDirectory { // nothing committed while reading
		c.dir = d
	} else {
		c.dir = nil
	}
	return d, nil
}

func (s *Store) readDirectory(ctx context.Context) (*directory, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT id, repository, digest, platform, owner, index_digest, base_name FROM images")
	if err != nil {
		return nil, err
	}
	d := &directory{images: make(map[int64]Image)}
	for rows.Next() {
		var im Image
		if err := rows.Scan(&im.id, &im.Repository, &im.Digest, &im.Platform, &im.Owner, &im.IndexDigest, &im.BaseName); err != nil {
			rows.Close()
			return nil, err
		}
		d.images[im.id] = im
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = s.db.QueryContext(ctx, "SELECT repository, tag, digest FROM tags")
	if err != nil {
		return nil, err
	}
	tags := make(map[string][]string, len(d.images))
	for rows.Next() {
		var repo, tag, digest string
		if err := rows.Scan(&repo, &tag, &digest); err != nil {
			rows.Close()
			return nil, err
		}
		tags[repo+"@"+digest] = append(tags[repo+"@"+digest], tag)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for id, im := range d.images {
		im.Tags = tags[im.Repository+"@"+im.Digest]
		if im.IndexDigest != "" {
			im.Tags = append(slices.Clone(im.Tags), tags[im.Repository+"@"+im.IndexDigest]...)
		}
		slices.Sort(im.Tags)
		d.images[id] = im
	}
	return d, nil
}
