// Command schema decodes Grafana dashboard JSON files strictly with the Grafana foundation SDK:
// a key the schema does not know, a value of the wrong type or a required key that is missing
// is an error. Panel options and field config are decoded with the panel type's own schema.
// It prints one JSON object per file: {"file": ..., "errors": [...]}.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/grafana/grafana-foundation-sdk/go/cog/plugins"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
)

type report struct {
	File   string   `json:"file"`
	Errors []string `json:"errors"`
}

func main() {
	plugins.RegisterDefaultPlugins()
	reports := []report{}
	for _, file := range os.Args[1:] {
		r := report{File: file, Errors: []string{}}
		raw, err := os.ReadFile(file)
		if err != nil {
			r.Errors = append(r.Errors, err.Error())
		} else {
			var d dashboard.Dashboard
			if err := d.UnmarshalJSONStrict(raw); err != nil {
				for _, line := range strings.Split(err.Error(), "\n") {
					if line = strings.TrimSpace(line); line != "" {
						r.Errors = append(r.Errors, line)
					}
				}
			}
		}
		reports = append(reports, r)
	}
	out, _ := json.Marshal(reports)
	fmt.Println(string(out))
}
