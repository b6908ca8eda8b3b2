package feed

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ingot-dev/ingot/vuln"
)

// Stats says what an import did.
type Stats struct {
	Files    int       `json:"files"`    // JSON files and zip entries read
	Imported int       `json:"imported"` // advisories written
	Ignored  int       `json:"ignored"`  // valid records of other ecosystems, or withdrawn
	Skipped  []Problem `json:"skipped,omitempty"`
	Tracker  bool      `json:"tracker"` // a Debian security tracker file was imported
}

// ImportOption configures Import.
type ImportOption func(*importOptions)

type importOptions struct {
	progress func(files int)
	origin   string
	strict   bool
}

// WithStrict makes Import fail, keeping nothing of this import, when any
// record cannot be read. Default: such records are skipped and reported.
func WithStrict() ImportOption {
	return func(o *importOptions) { o.strict = true }
}

// WithProgress calls f after every 500 files read and at the end, with the
// number read so far. Default: no callback.
func WithProgress(f func(files int)) ImportOption {
	return func(o *importOptions) { o.progress = f }
}

// WithOrigin records origin (a URL) instead of the path as where the import
// came from. Default: the path.
func WithOrigin(origin string) ImportOption {
	return func(o *importOptions) { o.origin = origin }
}

// Import reads path into the store: an OSV record (.json), a directory of
// them (searched recursively; .zip archives inside are read too), an OSV
// all.zip, or the Debian security tracker JSON (recognised by its content).
// OSV advisories replace stored ones with the same id; a tracker file
// replaces every stored tracker advisory, since it is a full snapshot. Import
// is idempotent. Records that cannot be read are skipped and listed in
// Stats.Skipped with their file; the rest is imported in one transaction.
func (s *Store) Import(ctx context.Context, path string, opts ...ImportOption) (Stats, error) {
	o := importOptions{origin: path}
	for _, opt := range opts {
		opt(&o)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return Stats{}, fmt.Errorf("importing feed: %w (give an OSV .json file, a directory of them, an all.zip, or the Debian tracker JSON)", err)
	}
	imp := &importer{ctx: ctx, store: s, opts: o}
	if imp.tx, err = s.db.BeginTx(ctx, nil); err != nil {
		return Stats{}, fmt.Errorf("importing %s: %w", path, err)
	}
	defer imp.tx.Rollback()
	if imp.put, err = imp.tx.PrepareContext(ctx, `INSERT INTO advisories (source, id, modified, data) VALUES (?, ?, ?, ?)
		ON CONFLICT (source, id) DO UPDATE SET modified = excluded.modified, data = excluded.data`); err != nil {
		return Stats{}, fmt.Errorf("importing %s: %w", path, err)
	}
	if fi.IsDir() {
		err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				return nil
			}
			switch strings.ToLower(filepath.Ext(p)) {
			case ".json":
				return imp.file(p)
			case ".zip":
				return imp.zipFile(p)
			}
			return nil
		})
	} else if strings.EqualFold(filepath.Ext(path), ".zip") {
		err = imp.zipFile(path)
	} else {
		err = imp.file(path)
	}
	if err != nil {
		return imp.stats, err
	}
	if sk := imp.stats.Skipped; o.strict && len(sk) > 0 {
		return imp.stats, fmt.Errorf("importing %s: %w: %d records cannot be read, the first in %s %s: %s (fix or remove them, or import without --strict)",
			path, ErrBadRecord, len(sk), sk[0].File, sk[0].Record, sk[0].Error)
	}
	kind := vuln.SourceOSV
	if imp.stats.Tracker {
		kind = vuln.SourceDebianTracker
	}
	if _, err := imp.tx.ExecContext(ctx, `INSERT INTO imports (origin, kind, advisories, imported) VALUES (?, ?, ?, ?)
		ON CONFLICT (origin) DO UPDATE SET kind = excluded.kind, advisories = excluded.advisories, imported = excluded.imported`,
		o.origin, kind, imp.stats.Imported, time.Now().UTC().Format(time.RFC3339)); err != nil {
		return imp.stats, fmt.Errorf("importing %s: %w", path, err)
	}
	if err := imp.tx.Commit(); err != nil {
		return imp.stats, fmt.Errorf("importing %s: %w", path, err)
	}
	if o.progress != nil {
		o.progress(imp.stats.Files)
	}
	return imp.stats, nil
}

type importer struct {
	ctx   context.Context
	store *Store
	opts  importOptions
	tx    *sql.Tx
	put   *sql.Stmt
	stats Stats
}

func (imp *importer) file(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("importing %s: %w", path, err)
	}
	defer f.Close()
	return imp.reader(f, path)
}

// reader reads one JSON document: an OSV record or the tracker, told apart
// by the first key of the top-level object.
func (imp *importer) reader(r io.Reader, name string) error {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(4096)
	if isTracker(head) {
		return imp.tracker(br, name)
	}
	data, err := io.ReadAll(io.LimitReader(br, MaxRecord+1))
	if err != nil {
		return fmt.Errorf("importing %s: %w", name, err)
	}
	return imp.osv(data, name)
}

func (imp *importer) osv(data []byte, name string) error {
	if err := imp.ctx.Err(); err != nil {
		return err
	}
	imp.stats.Files++
	if imp.opts.progress != nil && imp.stats.Files%500 == 0 {
		imp.opts.progress(imp.stats.Files)
	}
	a, err := ParseOSV(data)
	switch {
	case errors.Is(err, ErrIgnored):
		imp.stats.Ignored++
		return nil
	case err != nil:
		imp.skip(Problem{File: name, Error: err.Error()})
		return nil
	}
	return imp.write(a, name)
}

func (imp *importer) skip(p Problem) {
	imp.stats.Skipped = append(imp.stats.Skipped, p)
	imp.store.log.Warn("skipping feed record", "file", p.File, "record", p.Record, "error", p.Error)
}

func (imp *importer) write(a *vuln.Advisory, name string) error {
	data, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("importing %s from %s: %w", a.ID, name, err)
	}
	if _, err := imp.put.ExecContext(imp.ctx, a.Source, a.ID, a.Modified.UTC().Format(time.RFC3339Nano), data); err != nil {
		return fmt.Errorf("importing %s from %s: %w", a.ID, name, err)
	}
	imp.stats.Imported++
	return nil
}

func (imp *importer) tracker(r io.Reader, name string) error {
	imp.stats.Files++
	advs, problems, err := ReadTracker(r, name)
	if err != nil {
		return fmt.Errorf("importing %s: %w", name, err)
	}
	for _, p := range problems {
		imp.skip(p)
	}
	if _, err := imp.tx.ExecContext(imp.ctx, `DELETE FROM advisories WHERE source = ?`, vuln.SourceDebianTracker); err != nil {
		return fmt.Errorf("importing %s: %w", name, err)
	}
	imp.stats.Tracker = true
	for _, a := range advs {
		if err := imp.write(a, name); err != nil {
			return err
		}
	}
	return nil
}

// zipFile reads every .json entry of an OSV all.zip.
func (imp *importer) zipFile(path string) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return fmt.Errorf("importing %s: %w (is it an OSV all.zip?)", path, err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.FileInfo().IsDir() || !strings.EqualFold(filepath.Ext(f.Name), ".json") {
			continue
		}
		name := path + ":" + f.Name
		if f.UncompressedSize64 > MaxRecord {
			imp.stats.Files++
			imp.skip(Problem{File: name, Error: fmt.Sprintf("%v: %d bytes, more than %d", ErrBadRecord, f.UncompressedSize64, MaxRecord)})
			continue
		}
		rc, err := f.Open()
		if err != nil {
			imp.skip(Problem{File: name, Error: err.Error()})
			continue
		}
		data, err := io.ReadAll(io.LimitReader(rc, MaxRecord+1))
		rc.Close()
		if err != nil {
			imp.skip(Problem{File: name, Error: err.Error()})
			continue
		}
		if err := imp.osv(data, name); err != nil {
			return err
		}
	}
	return nil
}

// osvKeys are the top-level fields of an OSV record.
var osvKeys = map[string]bool{
	"schema_version": true, "id": true, "modified": true, "published": true, "withdrawn": true,
	"aliases": true, "related": true, "upstream": true, "summary": true, "details": true,
	"severity": true, "affected": true, "references": true, "credits": true, "database_specific": true,
}

// isTracker reports whether a JSON document starts like the tracker's: an
// object whose first key is not an OSV field and whose value is an object.
func isTracker(head []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(head))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return false
	}
	t, err := dec.Token()
	if err != nil {
		return false
	}
	k, ok := t.(string)
	if !ok || osvKeys[k] {
		return false
	}
	t, err = dec.Token()
	return err == nil && t == json.Delim('{')
}
