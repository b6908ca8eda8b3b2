package inventory

import "testing"

// TestStores runs the store's tests on SQLite and on a real PostgreSQL
// started once for all of them.
func TestStores(t *testing.T) {
	pgT = t
	for _, tc := range []struct {
		name string
		f    func(t *testing.T)
	}{
		{"migrate", testMigrate},
		{"put", testPut},
		{"put-images", testPutImages},
		{"directory", testDirectory},
		{"whohas", testWhoHas},
		{"show", testShow},
		{"list", testList},
		{"dependents", testDependents},
		{"owner", testOwner},
		{"tags", testTags},
		{"concurrent", testConcurrent},
		{"add-local", testAddLocal},
		{"documents", testDocuments},
	} {
		t.Run(tc.name, tc.f)
	}
}
