package inventory

import (
	"maps"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"

	"github.com/ingot-dev/ingot/inventory/internal/fleetgen"
)

// smallFleet is shared by the concurrency tests and the writer processes.
var smallFleet = fleetgen.Config{Images: 60, Bases: 4, Families: 2, BasePackages: 30, AppPackages: 10, Seed: 3}

// putRange writes the bases and images of smallFleet, forwards or backwards.
func putRange(t testing.TB, s *Store, backwards bool) {
	f := fleetgen.New(smallFleet)
	n := smallFleet.Images
	for _, b := range f.Bases() {
		if err := s.PutImage(t.Context(), b, ImageRef{}); err != nil {
			t.Error(err)
			return
		}
	}
	for k := range n {
		i := k
		if backwards {
			i = n - 1 - k
		}
		if err := s.PutImage(t.Context(), f.Image(i), ImageRef{}); err != nil {
			t.Error(err)
			return
		}
	}
}

func testConcurrent(t *testing.T) {
	var want map[string]int
	forEachBackend(t, func(t *testing.T, s *Store, loc string) {
		if want == nil {
			// The reference: one writer into a fresh SQLite store.
			ref, err := Open(t.Context(), backends()[0].open(t))
			if err != nil {
				t.Fatal(err)
			}
			putRange(t, ref, false)
			want = counts(t, ref)
			ref.Close()
		}
		t.Run("goroutines", func(t *testing.T) {
			loc := loc
			s := s
			var wg sync.WaitGroup
			for w := range 2 {
				wg.Go(func() {
					// Each writer its own *Store, as two builds would have.
					ws, err := Open(t.Context(), loc)
					if err != nil {
						t.Error(err)
						return
					}
					defer ws.Close()
					putRange(t, ws, w == 1)
				})
			}
			wg.Wait()
			if got := counts(t, s); !maps.Equal(got, want) {
				t.Errorf("two concurrent writers: %v\nwant %v", got, want)
			}
		})
		t.Run("processes", func(t *testing.T) {
			loc := backends()[0].open(t)
			if s.Dialect() == "postgres" {
				loc = freshPostgres(t)
			}
			var cmds []*exec.Cmd
			for w := range 2 {
				cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestWriterProcess$", "-test.count=1")
				cmd.Env = append(os.Environ(), "INGOT_INVENTORY_WRITER="+loc, "INGOT_INVENTORY_WRITER_BACKWARDS="+strconv.FormatBool(w == 1))
				cmds = append(cmds, cmd)
			}
			var wg sync.WaitGroup
			outs := make([][]byte, len(cmds))
			errs := make([]error, len(cmds))
			for i, c := range cmds {
				wg.Go(func() { outs[i], errs[i] = c.CombinedOutput() })
			}
			wg.Wait()
			for i := range cmds {
				if errs[i] != nil {
					t.Fatalf("writer process %d: %v\n%s", i, errs[i], outs[i])
				}
			}
			ps, err := Open(t.Context(), loc)
			if err != nil {
				t.Fatal(err)
			}
			defer ps.Close()
			if got := counts(t, ps); !maps.Equal(got, want) {
				t.Errorf("two writer processes: %v\nwant %v", got, want)
			}
		})
	})
}

// TestWriterProcess is a writer for the "processes" test; it does nothing
// unless started by it.
func TestWriterProcess(t *testing.T) {
	loc := os.Getenv("INGOT_INVENTORY_WRITER")
	if loc == "" {
		t.Skip("started by testConcurrent only")
	}
	s, err := Open(t.Context(), loc)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	putRange(t, s, os.Getenv("INGOT_INVENTORY_WRITER_BACKWARDS") == "true")
}
