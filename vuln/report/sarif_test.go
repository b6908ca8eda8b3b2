package report

import (
	"bytes"
	"encoding/json"
	"os"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

var sarifSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	f, err := os.Open("testdata/sarif-2.1.0-rtm.5.json")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	const id = "https://example.invalid/sarif-2.1.0.json"
	if err := c.AddResource(id, doc); err != nil {
		return nil, err
	}
	return c.Compile(id)
})

func validateSARIF(t *testing.T, b []byte) {
	t.Helper()
	sch, err := sarifSchema()
	if err != nil {
		t.Fatalf("compiling the SARIF schema: %v", err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(v); err != nil {
		t.Errorf("SARIF does not validate against the 2.1.0 schema: %v\n%s", err, b)
	}
}

func TestSARIF(t *testing.T) {
	empty := &Result{Image: Image{Ref: "oci:./out"}}
	tests := []struct {
		desc        string
		results     []*Result
		wantResults int
		wantRules   int
	}{
		{"findings with a suppression", []*Result{sampleResult()}, 3, 2},
		{"no findings", []*Result{empty}, 0, 0},
		{"two images", []*Result{sampleResult(), empty}, 3, 2},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			var a, b bytes.Buffer
			if err := SARIF(&a, tc.results...); err != nil {
				t.Fatal(err)
			}
			SARIF(&b, tc.results...)
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Error("SARIF output is not deterministic")
			}
			validateSARIF(t, a.Bytes())
			// Required fields, checked without the schema too.
			var log struct {
				Schema  string `json:"$schema"`
				Version string `json:"version"`
				Runs    []struct {
					Tool struct {
						Driver struct {
							Name  string `json:"name"`
							Rules []struct {
								ID string `json:"id"`
							} `json:"rules"`
						} `json:"driver"`
					} `json:"tool"`
					Results []struct {
						RuleID    string `json:"ruleId"`
						RuleIndex int    `json:"ruleIndex"`
						Level     string `json:"level"`
						Message   struct {
							Text string `json:"text"`
						} `json:"message"`
						Suppressions []struct {
							Kind string `json:"kind"`
						} `json:"suppressions"`
					} `json:"results"`
				} `json:"runs"`
			}
			if err := json.Unmarshal(a.Bytes(), &log); err != nil {
				t.Fatal(err)
			}
			if log.Version != "2.1.0" || log.Schema == "" || len(log.Runs) != len(tc.results) {
				t.Fatalf("header: version %q schema %q runs %d", log.Version, log.Schema, len(log.Runs))
			}
			run := log.Runs[0]
			if run.Tool.Driver.Name != "ingot" || len(run.Results) != tc.wantResults || len(run.Tool.Driver.Rules) != tc.wantRules {
				t.Fatalf("run: driver %q, %d results, %d rules", run.Tool.Driver.Name, len(run.Results), len(run.Tool.Driver.Rules))
			}
			suppressed := 0
			for _, r := range run.Results {
				if r.Message.Text == "" || run.Tool.Driver.Rules[r.RuleIndex].ID != r.RuleID {
					t.Errorf("result %s: empty message or ruleIndex %d names another rule", r.RuleID, r.RuleIndex)
				}
				if len(r.Suppressions) > 0 {
					suppressed++
					if r.Level != "none" || r.Suppressions[0].Kind != "external" {
						t.Errorf("suppressed result %s: level %q kind %q", r.RuleID, r.Level, r.Suppressions[0].Kind)
					}
				}
			}
			if tc.wantResults > 0 && suppressed != 1 {
				t.Errorf("%d suppressed results, want 1 (the VEX not_affected finding)", suppressed)
			}
		})
	}
}

func TestSARIFSchemaCatchesErrors(t *testing.T) {
	// The schema check must be able to fail: a result without a message is invalid.
	validBad := []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"ingot"}},"results":[{"ruleId":"X"}]}]}`)
	sch, err := sarifSchema()
	if err != nil {
		t.Fatal(err)
	}
	v, _ := jsonschema.UnmarshalJSON(bytes.NewReader(validBad))
	if sch.Validate(v) == nil {
		t.Error("the SARIF schema accepted a result without a message")
	}
}
