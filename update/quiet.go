package update

import (
	"context"
	"log/slog"
)

// quieter returns l with every record one level lower (info becomes debug),
// for the per-image progress rebase.Remote logs at info: a fleet of a
// thousand images reports through its Report instead.
func quieter(l *slog.Logger) *slog.Logger { return slog.New(lower{l.Handler()}) }

type lower struct{ h slog.Handler }

func (q lower) Enabled(ctx context.Context, level slog.Level) bool {
	return q.h.Enabled(ctx, level-4)
}

func (q lower) Handle(ctx context.Context, r slog.Record) error {
	r.Level -= 4
	return q.h.Handle(ctx, r)
}

func (q lower) WithAttrs(as []slog.Attr) slog.Handler { return lower{q.h.WithAttrs(as)} }
func (q lower) WithGroup(name string) slog.Handler    { return lower{q.h.WithGroup(name)} }
