package main

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"warroom/backends/actions/actionstest"
)

// check matches an haproxy executor's backend to the mirrors with a real
// HAProxy on loopback: a match is ok; a renamed mirror (no server of its
// name) and the server left without a mirror are both named, on the
// executor's line.
func TestCheckMatchesHAProxyServersToMirrors(t *testing.T) {
	f := startFleet(t, 2)
	urls := map[string]string{}
	var names []string
	for _, n := range f.Mirrors() {
		urls[n.Name] = n.URL
		names = append(names, n.Name)
	}
	h := actionstest.StartHAProxy(t, "mirrors", urls, names[0])
	path := fleetConfig(t, f)
	appendFile(t, path, fmt.Sprintf("actions:\n  executors:\n    - name: edge\n      haproxy: {address: %q, backend: mirrors}\n  failover: edge\n", h.SocketPath))

	code, out, errOut := runCmd(t, "", "check", "--config", path)
	if code != 0 || !strings.Contains(out, ": ok") {
		t.Fatalf("matching backend: exit %d\n%s%s\n%s", code, out, errOut, h.Log())
	}

	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	renamed := strings.Replace(string(data), "name: "+names[1]+",", "name: renamed,", 1)
	if renamed == string(data) {
		t.Fatalf("no mirror %s to rename in:\n%s", names[1], data)
	}
	if err := os.WriteFile(path, []byte(renamed), 0o600); err != nil {
		t.Fatal(err)
	}
	line := 1 + strings.Count(renamed[:strings.Index(renamed, "    - name: edge")], "\n")
	code, out, errOut = runCmd(t, "", "check", "--config", path)
	for _, want := range []string{
		fmt.Sprintf("%s:%d: actions.executors[0] (edge)", path, line),
		`mirror "renamed" has no server in backend "mirrors"`,
		fmt.Sprintf(`%s:%d: actions.executors[0] (edge): haproxy executor "edge": server %q of backend "mirrors" is no mirror`, path, line, names[1]),
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q", want)
		}
	}
	if code != 2 || strings.Contains(out, ": ok") {
		t.Errorf("a renamed mirror: exit %d, out %q, want 2", code, out)
	}
	if t.Failed() {
		t.Logf("stderr:\n%s", errOut)
	}
}
