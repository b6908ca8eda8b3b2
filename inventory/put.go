package inventory

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ingot-dev/ingot/sbom"
)

// ImageRef says where an ingested image was found. Empty fields fall back
// to the Document's Image.
type ImageRef struct {
	Repository  string   // repository without tag or digest; default doc.Image.Name
	Tags        []string // tags pointing at the image, added to doc.Image.Tags
	IndexDigest string   // the index that lists this platform's manifest, if any
	// Documents are the image's manifest and config (and its index), as
	// pushed, kept so that a rebase need not read them from the registry
	// again. Optional; each is checked against its digest.
	Documents []Document
}

// Put is one image for PutImages.
type Put struct {
	Doc *sbom.Document
	Ref ImageRef
}

// PutImages records several images in one transaction: all or none. It is
// PutImage for bulk ingest (a registry sync, a benchmark), where one commit
// per batch instead of per image saves most of the writing.
func (s *Store) PutImages(ctx context.Context, puts []Put) error {
	type prepared struct {
		repo string
		tags []string
	}
	preps := make([]prepared, len(puts))
	for i, p := range puts {
		repo, tags, err := checkPut(p.Doc, p.Ref)
		if err != nil {
			return err
		}
		preps[i] = prepared{repo, tags}
	}
	var w put
	err := s.write(ctx, func(tx *sql.Tx) error {
		w = put{tx: tx, newPkgs: make(map[string]int64)}
		for i, p := range puts {
			if err := s.putImage(ctx, &w, p.Doc, preps[i].repo, p.Ref, preps[i].tags); err != nil {
				return fmt.Errorf("recording %s@%s: %w", preps[i].repo, p.Doc.Image.Digest, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("recording %d images in the inventory at %s: %w", len(puts), s.where, err)
	}
	s.rememberPackages(w.newPkgs)
	return nil
}

// checkPut validates one image to record and returns its repository and tags.
func checkPut(doc *sbom.Document, ref ImageRef) (repo string, tags []string, err error) {
	img := doc.Image
	repo = ref.Repository
	if repo == "" {
		repo = img.Name
	}
	if repo == "" || img.Digest == "" {
		return "", nil, fmt.Errorf("recording an image in the inventory: the document has no repository or digest (name %q, digest %q)", repo, img.Digest)
	}
	for i, p := range doc.Packages {
		if p.Layer >= len(img.Layers) {
			return "", nil, fmt.Errorf("recording %s@%s: package %d (%s) is in layer %d, but the image has %d layers", repo, img.Digest, i, p.Name, p.Layer, len(img.Layers))
		}
	}
	for _, d := range ref.Documents {
		if err := d.check(); err != nil {
			return "", nil, fmt.Errorf("recording %s@%s: %w", repo, img.Digest, err)
		}
	}
	tags = append(slices.Clone(img.Tags), ref.Tags...)
	slices.Sort(tags)
	return repo, slices.Compact(tags), nil
}

// put is the state of one PutImage transaction.
type put struct {
	tx *sql.Tx
	// newPkgs are the package ids read in this transaction, remembered
	// once it commits (an id from a rolled-back transaction may not exist).
	newPkgs map[string]int64
}

// maxKnownPackages bounds the package id cache.
const maxKnownPackages = 1 << 20

// rememberPackages caches package ids of a committed transaction.
func (s *Store) rememberPackages(ids map[string]int64) {
	for k, id := range ids {
		if s.nKnown.Load() >= maxKnownPackages {
			return
		}
		if _, loaded := s.knownPkgs.LoadOrStore(k, id); !loaded {
			s.nKnown.Add(1)
		}
	}
}

// unknownLayer is the diffID under which packages of unknown layer are kept:
// one pseudo-layer per image, so they are never attributed to a shared layer.
func unknownLayer(digest string) string { return "unknown:" + digest }

// packageBatch is the number of package rows per INSERT.
const packageBatch = 64

// PutImage records one image (one platform) and everything the Document
// says about it, in one transaction. It is idempotent by manifest digest:
// putting the same Document again changes nothing, and the packages of a
// layer already known by diffID are not written again. Tags in doc and ref
// are pointed at the image; a tag that moved is recorded in its history.
func (s *Store) PutImage(ctx context.Context, doc *sbom.Document, ref ImageRef) error {
	repo, tags, err := checkPut(doc, ref)
	if err != nil {
		return err
	}
	img := doc.Image
	var w put
	err = s.write(ctx, func(tx *sql.Tx) error {
		w = put{tx: tx, newPkgs: make(map[string]int64)}
		return s.putImage(ctx, &w, doc, repo, ref, tags)
	})
	if err != nil {
		return fmt.Errorf("recording %s@%s in the inventory at %s: %w", repo, img.Digest, s.where, err)
	}
	s.rememberPackages(w.newPkgs)
	return nil
}

func (s *Store) putImage(ctx context.Context, w *put, doc *sbom.Document, repo string, ref ImageRef, tags []string) error {
	tx := w.tx
	img := doc.Image
	index := ref.IndexDigest
	if err := s.putDocuments(ctx, tx, ref.Documents); err != nil {
		return err
	}
	created := ""
	if !img.Created.IsZero() {
		created = img.Created.UTC().Format(time.RFC3339)
	}
	var id int64
	err := s.txQueryRow(ctx, tx, (`INSERT INTO images
		(repository, digest, platform, created, owner, index_digest, distro, base_name, base_digest)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (repository, digest) DO UPDATE SET
			platform = CASE WHEN excluded.platform <> '' THEN excluded.platform ELSE images.platform END,
			created = CASE WHEN excluded.created <> '' THEN excluded.created ELSE images.created END,
			owner = CASE WHEN excluded.owner <> '' THEN excluded.owner ELSE images.owner END,
			index_digest = CASE WHEN excluded.index_digest <> '' THEN excluded.index_digest ELSE images.index_digest END,
			distro = CASE WHEN excluded.distro <> '' THEN excluded.distro ELSE images.distro END,
			base_name = CASE WHEN excluded.base_name <> '' THEN excluded.base_name ELSE images.base_name END,
			base_digest = CASE WHEN excluded.base_digest <> '' THEN excluded.base_digest ELSE images.base_digest END
		RETURNING id`),
		repo, img.Digest, img.Platform, created, img.Owner, index, img.Distro, img.BaseName, img.BaseDigest).Scan(&id)
	if err != nil {
		return fmt.Errorf("writing the image: %w", err)
	}

	var known int
	if err := s.txQueryRow(ctx, tx, ("SELECT COUNT(*) FROM image_layers WHERE image_id = ?"), id).Scan(&known); err != nil {
		return err
	}
	if known == 0 {
		if err := s.putLayers(ctx, w, doc, id); err != nil {
			return err
		}
	}
	target := img.Digest
	if index != "" { // a tag names the index, which lists every platform
		target = index
	}
	return s.pointTags(ctx, tx, repo, target, tags)
}

// putLayers writes the image's layers and, for layers new to the store,
// their packages. Layers are written in diffID order so that concurrent
// PostgreSQL writers take row locks in the same order.
func (s *Store) putLayers(ctx context.Context, w *put, doc *sbom.Document, imageID int64) error {
	tx := w.tx
	img := doc.Image
	byLayer := make(map[string][]sbom.Package)
	ids := make([]string, len(img.Layers))
	for i, l := range img.Layers {
		ids[i] = l.DiffID
		if ids[i] == "" {
			ids[i] = l.Digest
		}
		if ids[i] == "" {
			return fmt.Errorf("layer %d has neither a diffID nor a digest", i)
		}
	}
	for _, p := range doc.Packages {
		key := unknownLayer(img.Digest)
		if p.Layer >= 0 {
			key = ids[p.Layer]
		}
		byLayer[key] = append(byLayer[key], p)
	}
	type row struct {
		diffID        string
		l             sbom.Layer
		pos           int
		base, unknown bool
	}
	rows := make([]row, 0, len(img.Layers)+1)
	for i, l := range img.Layers {
		rows = append(rows, row{diffID: ids[i], l: l, pos: i, base: l.Base})
	}
	if pk := byLayer[unknownLayer(img.Digest)]; len(pk) > 0 {
		rows = append(rows, row{diffID: unknownLayer(img.Digest), pos: -1, unknown: true})
	}
	slices.SortStableFunc(rows, func(a, b row) int { return strings.Compare(a.diffID, b.diffID) })

	insLayer := ("INSERT INTO layers (diff_id, digest, name, owner) VALUES (?, ?, ?, ?) ON CONFLICT (diff_id) DO NOTHING RETURNING id")
	getLayer := ("SELECT id FROM layers WHERE diff_id = ?")
	fillLayer := (`UPDATE layers SET
		digest = CASE WHEN digest = '' THEN ? ELSE digest END,
		name = CASE WHEN name = '' THEN ? ELSE name END,
		owner = CASE WHEN owner = '' THEN ? ELSE owner END
		WHERE id = ? AND (digest = '' AND ? <> '' OR name = '' AND ? <> '' OR owner = '' AND ? <> '')`)
	layerIDs := make(map[string]int64)
	for _, r := range rows {
		if _, ok := layerIDs[r.diffID]; ok { // the same layer twice in one image
			continue
		}
		var lid int64
		err := s.txQueryRow(ctx, tx, insLayer, r.diffID, r.l.Digest, r.l.Name, r.l.Owner).Scan(&lid)
		if err == nil {
			layerIDs[r.diffID] = lid
			if err := s.putPackages(ctx, w, lid, byLayer[r.diffID]); err != nil {
				return fmt.Errorf("writing the packages of layer %s: %w", r.diffID, err)
			}
			continue
		}
		if err != sql.ErrNoRows {
			return fmt.Errorf("writing layer %s: %w", r.diffID, err)
		}
		// Known layer: its packages are there; fill in what it lacked.
		if err := s.txQueryRow(ctx, tx, getLayer, r.diffID).Scan(&lid); err != nil {
			return fmt.Errorf("reading layer %s: %w", r.diffID, err)
		}
		layerIDs[r.diffID] = lid
		if r.l.Digest != "" || r.l.Name != "" || r.l.Owner != "" {
			if _, err := s.txExec(ctx, tx, fillLayer, r.l.Digest, r.l.Name, r.l.Owner, lid, r.l.Digest, r.l.Name, r.l.Owner); err != nil {
				return fmt.Errorf("updating layer %s: %w", r.diffID, err)
			}
		}
	}
	slices.SortFunc(rows, func(a, b row) int { return a.pos - b.pos })
	args := make([]any, 0, 4*len(rows))
	for _, r := range rows {
		args = append(args, imageID, r.pos, layerIDs[r.diffID], r.base)
	}
	q := "INSERT INTO image_layers (image_id, position, layer_id, base) VALUES " + placeholders(len(rows), 4) +
		" ON CONFLICT (image_id, position) DO NOTHING"
	if _, err := s.txExec(ctx, tx, (q), args...); err != nil {
		return fmt.Errorf("writing the image's layers: %w", err)
	}
	return nil
}

// packageIdent is the unique key of a package row: every identifying column.
func packageIdent(p sbom.Package) string {
	return strings.Join([]string{p.Ecosystem, p.Name, p.Version, p.Arch, p.Source, p.SourceVersion, p.PURL}, "\x1f")
}

// putPackages links the packages of one new layer to it, writing the
// packages the store does not know yet, with multi-row statements.
func (s *Store) putPackages(ctx context.Context, w *put, layerID int64, pkgs []sbom.Package) error {
	tx := w.tx
	seen := make(map[string]bool, len(pkgs))
	var ids []int64
	var missing []sbom.Package
	for _, p := range pkgs {
		k := packageIdent(p)
		if seen[k] {
			continue
		}
		seen[k] = true
		if id, ok := s.knownPkgs.Load(k); ok {
			ids = append(ids, id.(int64))
		} else if id, ok := w.newPkgs[k]; ok {
			ids = append(ids, id)
		} else {
			missing = append(missing, p)
		}
	}
	// Sorted, so concurrent PostgreSQL writers lock package rows in one order.
	slices.SortFunc(missing, func(a, b sbom.Package) int { return strings.Compare(packageIdent(a), packageIdent(b)) })
	for batch := range slices.Chunk(missing, packageBatch) {
		n := len(batch)
		args := make([]any, 0, 9*n)
		idents := make([]any, 0, n)
		for _, p := range batch {
			k := packageIdent(p)
			idents = append(idents, k)
			args = append(args, k, p.Ecosystem, p.Name, p.Version, p.Arch, p.Source, p.SourceVersion, p.PURL, PURLBase(p.PURL))
		}
		q := `INSERT INTO packages (ident, ecosystem, name, version, arch, source, source_version, purl, purl_base)
			VALUES ` + placeholders(n, 9) + ` ON CONFLICT (ident) DO NOTHING`
		if _, err := s.txExec(ctx, tx, q, args...); err != nil {
			return err
		}
		rows, err := s.txQuery(ctx, tx, "SELECT id, ident FROM packages WHERE ident IN ("+strings.TrimSuffix(strings.Repeat("?, ", n), ", ")+")", idents...)
		if err != nil {
			return err
		}
		found := 0
		for rows.Next() {
			var id int64
			var k string
			if err := rows.Scan(&id, &k); err != nil {
				rows.Close()
				return err
			}
			w.newPkgs[k] = id
			ids = append(ids, id)
			found++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if found != n {
			return fmt.Errorf("found %d of %d packages just written", found, n)
		}
	}
	slices.Sort(ids)
	for chunk := range slices.Chunk(ids, packageBatch) {
		link := make([]any, 0, 2*len(chunk))
		for _, id := range chunk {
			link = append(link, layerID, id)
		}
		q := "INSERT INTO layer_packages (layer_id, package_id) VALUES " + placeholders(len(chunk), 2) + " ON CONFLICT (layer_id, package_id) DO NOTHING"
		if _, err := s.txExec(ctx, tx, q, link...); err != nil {
			return err
		}
	}
	return nil
}

// placeholders returns "(?, ?), (?, ?)" for rows rows of cols columns.
func placeholders(rows, cols int) string {
	one := "(" + strings.Repeat("?, ", cols-1) + "?)"
	return strings.Repeat(one+", ", rows-1) + one
}

// pointTags points tags of repo at digest, recording moves in tag_history.
func (s *Store) pointTags(ctx context.Context, tx *sql.Tx, repo, digest string, tags []string) error {
	now := time.Now().UTC().Format(time.RFC3339Nano)
	for _, tag := range tags {
		var cur string
		err := s.txQueryRow(ctx, tx, ("SELECT digest FROM tags WHERE repository = ? AND tag = ?"), repo, tag).Scan(&cur)
		switch {
		case err == sql.ErrNoRows:
			if _, err := s.txExec(ctx, tx, ("INSERT INTO tags (repository, tag, digest) VALUES (?, ?, ?) ON CONFLICT (repository, tag) DO UPDATE SET digest = excluded.digest"), repo, tag, digest); err != nil {
				return fmt.Errorf("writing tag %s: %w", tag, err)
			}
		case err != nil:
			return fmt.Errorf("reading tag %s: %w", tag, err)
		case cur == digest:
			continue
		default:
			if _, err := s.txExec(ctx, tx, ("UPDATE tags SET digest = ? WHERE repository = ? AND tag = ?"), digest, repo, tag); err != nil {
				return fmt.Errorf("moving tag %s: %w", tag, err)
			}
		}
		if _, err := s.txExec(ctx, tx, ("INSERT INTO tag_history (repository, tag, digest, seen_at) VALUES (?, ?, ?, ?)"), repo, tag, digest, now); err != nil {
			return fmt.Errorf("recording the history of tag %s: %w", tag, err)
		}
	}
	return nil
}
