package fetch_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/ingot-dev/ingot/debian/fetch"
)

func ExampleCache_Get() {
	body := []byte("a .deb, say")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write(body) }))
	defer srv.Close()
	dir, _ := os.MkdirTemp("", "cache")
	defer os.RemoveAll(dir)

	cache, err := fetch.New(dir)
	if err != nil {
		panic(err)
	}
	sum := sha256.Sum256(body)
	path, err := cache.Get(context.Background(), fetch.Item{
		URL: srv.URL + "/pool/main/a/a/a_1_all.deb", Size: int64(len(body)), SHA256: hex.EncodeToString(sum[:]), Name: "a 1 (all)",
	})
	if err != nil {
		panic(err)
	}
	got, _ := os.ReadFile(path)
	fmt.Println(string(got), path == cache.Path(hex.EncodeToString(sum[:])))
	// Output: a .deb, say true
}
