package version

import (
	"fmt"
	"sort"
)

// Affected evaluates one OSV range (its events, in any order) for version v
// with scheme s, exactly as the OSV schema specifies: the events are sorted
// by version (introduced "0" first; for equal versions, introduced before the
// others), then walked: introduced at or below v opens an affected span, fixed
// at or below v and last_affected below v close it. A limit at or below v
// excludes v ("*" is no limit). fixed is the lowest fixed version above v when
// v is affected, "" when none is known.
//
// An event whose version s cannot parse makes the whole range an error: a
// range cannot be evaluated with a hole in it.
func Affected(s Scheme, v Version, events []Event) (affected bool, fixed string, err error) {
	evs := make([]parsedEvent, 0, len(events))
	for _, e := range events {
		p, err := parseEvent(s, e)
		if err != nil {
			return false, "", err
		}
		evs = append(evs, p)
	}
	return evaluate(v, evs)
}

// Range is a range with its event versions parsed once, for evaluating many
// versions against it.
type Range struct {
	events []parsedEvent
}

// ParseRange parses the versions of events with s and sorts them.
func ParseRange(s Scheme, events []Event) (*Range, error) {
	r := &Range{events: make([]parsedEvent, 0, len(events))}
	for _, e := range events {
		p, err := parseEvent(s, e)
		if err != nil {
			return nil, err
		}
		r.events = append(r.events, p)
	}
	sortEvents(r.events)
	return r, nil
}

// Affected is the package-level Affected for a parsed range.
func (r *Range) Affected(v Version) (bool, string) {
	return walk(v, r.events)
}

type eventKind int

// The order of kinds breaks ties between events of equal versions.
const (
	introduced eventKind = iota
	lastAffected
	fixed
	limit
)

type parsedEvent struct {
	kind eventKind
	zero bool // introduced "0" or limit "*": below or above everything
	v    Version
	text string
}

func parseEvent(s Scheme, e Event) (parsedEvent, error) {
	var p parsedEvent
	n := 0
	for _, f := range []struct {
		kind eventKind
		text string
	}{{introduced, e.Introduced}, {lastAffected, e.LastAffected}, {fixed, e.Fixed}, {limit, e.Limit}} {
		if f.text != "" {
			p.kind, p.text = f.kind, f.text
			n++
		}
	}
	if n != 1 {
		return p, fmt.Errorf("%w: an OSV event sets exactly one of introduced, fixed, last_affected, limit; this one sets %d", ErrInvalid, n)
	}
	if (p.kind == introduced && p.text == "0") || (p.kind == limit && p.text == "*") {
		p.zero = true
		return p, nil
	}
	v, err := s.Parse(p.text)
	if err != nil {
		return p, fmt.Errorf("reading OSV event: %w", err)
	}
	p.v = v
	return p, nil
}

func evaluate(v Version, evs []parsedEvent) (bool, string, error) {
	sortEvents(evs)
	a, f := walk(v, evs)
	return a, f, nil
}

func sortEvents(evs []parsedEvent) {
	sort.SliceStable(evs, func(i, j int) bool {
		a, b := evs[i], evs[j]
		az, bz := a.zeroBelow(), b.zeroBelow()
		if az || bz {
			return az && !bz
		}
		aa, ba := a.kind == limit && a.zero, b.kind == limit && b.zero
		if aa || ba {
			return !aa && ba
		}
		if c := a.v.Compare(b.v); c != 0 {
			return c < 0
		}
		return a.kind < b.kind
	})
}

func (e parsedEvent) zeroBelow() bool { return e.kind == introduced && e.zero }

func walk(v Version, evs []parsedEvent) (bool, string) {
	affected := false
	for _, e := range evs {
		switch e.kind {
		case introduced:
			if e.zero || v.Compare(e.v) >= 0 {
				affected = true
			}
		case fixed:
			if v.Compare(e.v) >= 0 {
				affected = false
			}
		case lastAffected:
			if v.Compare(e.v) > 0 {
				affected = false
			}
		case limit:
			if !e.zero && v.Compare(e.v) >= 0 {
				return false, ""
			}
		}
	}
	if !affected {
		return false, ""
	}
	for _, e := range evs {
		if e.kind == fixed && v.Compare(e.v) < 0 {
			return true, e.text
		}
	}
	return true, ""
}
