package main

import "github.com/ingot-dev/ingot/vuln/scan"

// prioritizer returns how scan and assay prioritise findings (vuln/priority).
func prioritizer() scan.Prioritizer { return nil }
