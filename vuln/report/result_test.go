package report

import (
	"testing"

	"github.com/ingot-dev/ingot/vuln"
)

func TestSummaryAndSort(t *testing.T) {
	r := sampleResult()
	want := Summary{Critical: 1, High: 1, Suppressed: 1}
	if r.Summary != want {
		t.Errorf("Summarise = %+v, want %+v", r.Summary, want)
	}
	if got := []string{r.Findings[0].ID(), r.Findings[1].ID(), string(r.Findings[2].Status)}; got[0] != "CVE-2022-41723" ||
		got[1] != "CVE-2024-5535" || got[2] != "not_affected" {
		t.Errorf("Sort order = %v, want critical, high, then the suppressed one", got)
	}
	tests := []struct {
		p    vuln.Priority
		want int
	}{{vuln.Critical, 1}, {vuln.High, 2}, {vuln.Medium, 2}, {vuln.Low, 2}}
	for _, tc := range tests {
		t.Run(string(tc.p), func(t *testing.T) {
			if got := r.Summary.AtLeast(tc.p); got != tc.want {
				t.Errorf("AtLeast(%s) = %d, want %d (suppressed findings do not count)", tc.p, got, tc.want)
			}
		})
	}
}
