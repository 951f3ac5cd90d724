package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// startPrometheus runs a real Prometheus on a loopback port scraping
// target's /metrics every second; it dies with the test binary.
func startPrometheus(t *testing.T, bin string, port int, target string) string {
	t.Helper()
	dir := t.TempDir()
	conf := fmt.Sprintf(`global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: warroom
    static_configs:
      - targets: [%q]
`, target)
	path := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--config.file="+path, "--storage.tsdb.path="+filepath.Join(dir, "data"),
		fmt.Sprintf("--web.listen-address=127.0.0.1:%d", port))
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	startDaemon(t, "prometheus", cmd, base+"/-/ready")
	return base
}

// promSample is one series of an instant query's answer.
type promSample struct {
	Metric map[string]string `json:"metric"`
	Value  [2]any            `json:"value"` // [unix time, "value"]
}

// promQuery runs an instant query through Prometheus's HTTP API.
func promQuery(t *testing.T, base, query string) []promSample {
	t.Helper()
	resp, err := http.Get(base + "/api/v1/query?query=" + url.QueryEscape(query))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var answer struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			ResultType string       `json:"resultType"`
			Result     []promSample `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&answer); err != nil || answer.Status != "success" {
		t.Fatalf("query %q: %s %v %s", query, resp.Status, err, answer.Error)
	}
	return answer.Data.Result
}

// upByMirror is warroom_mirror_up as Prometheus answers it: mirror → value.
func upByMirror(t *testing.T, base string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, s := range promQuery(t, base, "warroom_mirror_up") {
		v, _ := s.Value[1].(string)
		out[s.Metric["mirror"]+"@"+s.Metric["region"]] = v
	}
	return out
}

// TestPrometheusScrapesTheRoom: a real Prometheus scrapes the real
// `warroom serve` at a 1s interval; a query through its HTTP API returns
// every mirror of the fleet up, with its region, then the one taken down
// as 0; the journal's append histogram and the process figures arrive too.
func TestPrometheusScrapesTheRoom(t *testing.T) {
	promBin := needTool(t, "prometheus", "prometheus")
	bin := buildBinary(t)
	f := startFleet(t, 3)
	cfg := fleetConfig(t, f)
	ports := loopbackPorts(t, 2)
	target := fmt.Sprintf("127.0.0.1:%d", ports[0])
	appendFile(t, cfg, serveSection(newPerson(t, "ana", "commander"))+"metrics:\n  listen: "+target+"\n")
	rp := startRoomProcess(t, bin, cfg)
	prom := startPrometheus(t, promBin, ports[1], target)

	want := map[string]string{"origin@": "1"}
	for _, m := range f.Mirrors() {
		want[m.Name+"@"+m.Region] = "1"
	}
	var got map[string]string
	allUp := func() bool {
		got = upByMirror(t, prom)
		if len(got) != len(want) {
			return false
		}
		for k, v := range want {
			if got[k] != v {
				return false
			}
		}
		return true
	}
	if !pollEvery(60*time.Second, 250*time.Millisecond, allUp) {
		t.Fatalf("warroom_mirror_up through Prometheus = %v, want %v\nwarroom:\n%s", got, want, rp.out.String())
	}

	down := f.Mirrors()[1]
	down.SetDown(true)
	key := down.Name + "@" + down.Region
	if !pollEvery(60*time.Second, 250*time.Millisecond, func() bool { got = upByMirror(t, prom); return got[key] == "0" }) {
		t.Fatalf("%s taken down; warroom_mirror_up = %v\nwarroom:\n%s", down.Name, got, rp.out.String())
	}
	state := promQuery(t, prom, fmt.Sprintf(`warroom_mirror_state{mirror=%q} == 1`, down.Name))
	if len(state) != 1 || state[0].Metric["state"] != "down" {
		t.Errorf("warroom_mirror_state of %s: %+v, want state down", down.Name, state)
	}
	for _, q := range []string{
		`warroom_journal_append_seconds_count > 0`, // the room journaled the state changes
		`warroom_alerts{severity="warning"} > 0`,   // the backup down is a warning
		`process_resident_memory_bytes{job="warroom"}`,
		`up{job="warroom"} == 1`,
	} {
		if r := promQuery(t, prom, q); len(r) == 0 {
			t.Errorf("%s: no series", q)
		}
	}
}
