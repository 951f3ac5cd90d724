package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The shipped example's cluster: section is commented out (a copied file
// must not start a cluster); uncommented, it must be valid.
func TestShippedExampleClusterSection(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", "warroom.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	start := -1
	for i, l := range lines {
		if l == "# cluster:" {
			start = i
		}
	}
	if start < 0 {
		t.Fatal(`examples/warroom.yaml has no "# cluster:" section`)
	}
	var b strings.Builder
	for _, l := range lines[start:] {
		if !strings.HasPrefix(l, "#") {
			break
		}
		l = strings.TrimPrefix(strings.TrimPrefix(l, "#"), " ")
		if strings.HasPrefix(strings.TrimSpace(l), "# endpoints:") {
			continue // the alternative to peers:
		}
		b.WriteString(l + "\n")
	}
	x := mustParse(t, base+b.String(), nil).Cluster
	if x.Node != "eu-1" || x.Region != "eu-west" || len(x.Peers) != 3 || x.Election != 10*x.Heartbeat {
		t.Errorf("example cluster = %+v", x)
	}
}
