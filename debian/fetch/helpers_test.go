package fetch

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// server is an httptest server whose files and faults tests set up.
type server struct {
	*httptest.Server
	mu    sync.Mutex
	files map[string][]byte
	fail  map[string]int // path -> remaining failures (503)
	codes map[string]int // path -> fixed status code
	hits  atomic.Int64
	hook  func() // called on every request, if set
}

func newServer(t *testing.T) *server {
	t.Helper()
	s := &server{files: map[string][]byte{}, fail: map[string]int{}, codes: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		if s.hook != nil {
			s.hook()
		}
		s.mu.Lock()
		code, fixed := s.codes[r.URL.Path]
		failing := s.fail[r.URL.Path] > 0
		if failing {
			s.fail[r.URL.Path]--
		}
		data, ok := s.files[r.URL.Path]
		s.mu.Unlock()
		switch {
		case fixed:
			http.Error(w, http.StatusText(code), code)
		case failing:
			w.Header().Set("Retry-After", "0")
			http.Error(w, "busy", http.StatusServiceUnavailable)
		case !ok:
			http.NotFound(w, r)
		default:
			w.Write(data)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *server) put(path string, data []byte) Item {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[path] = data
	sum := sha256.Sum256(data)
	return Item{URL: s.URL + path, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), Name: strings.TrimPrefix(path, "/")}
}

func (s *server) failNext(path string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail[path] = n
}

func (s *server) status(path string, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.codes[path] = code
}

// newCache makes a cache in a fresh directory with fast retries.
func newCache(t *testing.T, opts ...Option) *Cache {
	t.Helper()
	c, err := New(t.TempDir(), append([]Option{WithBackoff(time.Millisecond)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
