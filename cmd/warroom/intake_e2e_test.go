package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"warroom/backends/journal"
	"warroom/backends/room"
)

const e2eIntakeToken = "e2e-intake-token-5f0c2a9d41b7"

// alertmanager is a real prometheus-alertmanager on a loopback port.
type alertmanager struct {
	url string
	out *syncLog
}

// startAlertmanager runs Alertmanager with a rule-free config whose only
// receiver is warroom's intake; it dies with the test binary.
func startAlertmanager(t *testing.T, bin string, port int, intakeURL, token string) *alertmanager {
	t.Helper()
	dir := t.TempDir()
	conf := fmt.Sprintf(`global:
  resolve_timeout: 2m
route:
  receiver: warroom
  group_by: [alertname]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: warroom
    webhook_configs:
      - url: %q
        send_resolved: true
        http_config:
          authorization: {credentials: %q}
`, intakeURL, token)
	path := filepath.Join(dir, "alertmanager.yml")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	am := &alertmanager{url: fmt.Sprintf("http://127.0.0.1:%d", port)}
	cmd := exec.Command(bin, "--config.file="+path, "--storage.path="+filepath.Join(dir, "data"),
		fmt.Sprintf("--web.listen-address=127.0.0.1:%d", port), "--cluster.listen-address=")
	am.out = startDaemon(t, "alertmanager", cmd, am.url+"/-/ready")
	return am
}

// post sends alerts to Alertmanager's API, as Prometheus would.
func (am *alertmanager) post(t *testing.T, alerts ...map[string]any) {
	t.Helper()
	b, err := json.Marshal(alerts)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(am.url+"/api/v2/alerts", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(resp.Body)
		t.Fatalf("alertmanager refused the alert: %d %s", resp.StatusCode, body)
	}
}

// webhookSent is how many webhook notifications Alertmanager delivered,
// and how many failed (warroom answered other than 2xx, or not at all).
func (am *alertmanager) webhookSent(t *testing.T) (sent, failed string) {
	t.Helper()
	resp, err := http.Get(am.url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, `alertmanager_notifications_total{integration="webhook"} `); ok {
			sent = v
		}
		if v, ok := strings.CutPrefix(line, `alertmanager_notifications_failed_total{integration="webhook"} `); ok {
			failed = v
		}
	}
	return sent, failed
}

// waitSent waits until each Alertmanager delivered n notifications, none failed.
func waitSent(t *testing.T, n int, ams ...*alertmanager) {
	t.Helper()
	for i, am := range ams {
		var sent, failed string
		if !pollEvery(30*time.Second, 50*time.Millisecond, func() bool {
			sent, failed = am.webhookSent(t)
			return sent == fmt.Sprint(n)
		}) || failed != "0" {
			t.Fatalf("alertmanager %d delivered %s (want %d), %s failed:\n%s", i, sent, n, failed, am.out.String())
		}
	}
}

func externalEvents(t *testing.T, jpath, kind string) []room.Event {
	t.Helper()
	records, err := journal.Read(jpath)
	if err != nil {
		t.Fatal(err)
	}
	var out []room.Event
	for _, ev := range decodeEvents(t, records) {
		if ev.Kind == kind && strings.HasPrefix(ev.AlertFacts().Alert, "external/MirrorSlow/") {
			out = append(out, ev)
		}
	}
	return out
}

// TestAlertmanagerDeliversToTheRoom: two real Alertmanagers (an HA pair
// without gossip, so both deliver) send an alert posted to their API to
// the real `warroom serve`'s intake: the room raises it once, with its
// labels; an endsAt in the past resolves it and the room clears it once;
// a request without the token is refused.
func TestAlertmanagerDeliversToTheRoom(t *testing.T) {
	amBin := needTool(t, "prometheus-alertmanager", "prometheus-alertmanager")
	bin := buildBinary(t)
	f := startFleet(t, 2)
	cfg := fleetConfig(t, f)
	ports := loopbackPorts(t, 3)
	intakeURL := fmt.Sprintf("http://127.0.0.1:%d/alertmanager", ports[0])
	appendFile(t, cfg, serveSection(newPerson(t, "ana", "commander"))+
		fmt.Sprintf("intake:\n  listen: 127.0.0.1:%d\n  token: %s\n", ports[0], e2eIntakeToken))
	jpath := stateDirOf(t, cfg) + "/journal.jsonl"
	rp := startRoomProcess(t, bin, cfg)

	resp, err := http.Post(intakeURL, "application/json", strings.NewReader(`{"version":"4","alerts":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a post without the token: %d, want 401", resp.StatusCode)
	}

	a := startAlertmanager(t, amBin, ports[1], intakeURL, e2eIntakeToken)
	b := startAlertmanager(t, amBin, ports[2], intakeURL, e2eIntakeToken)
	alert := map[string]any{
		"labels":       map[string]string{"alertname": "MirrorSlow", "severity": "critical", "instance": "web1:9100", "job": "node"},
		"annotations":  map[string]string{"summary": "p99 over 2s"},
		"startsAt":     time.Now().Add(-time.Minute).UTC().Format(time.RFC3339),
		"generatorURL": "http://prometheus.invalid/graph",
	}
	a.post(t, alert)
	b.post(t, alert)
	waitSent(t, 1, a, b)
	raised := externalEvents(t, jpath, room.EvAlertRaised)
	if len(raised) != 1 {
		t.Fatalf("alert.raised %d times for two deliveries of one alert, want once:\n%s", len(raised), rp.out.String())
	}
	ev := raised[0]
	if ev.Level != "critical" || ev.Subject != "web1:9100" || ev.AlertFacts().Text != "MirrorSlow: p99 over 2s" ||
		ev.ExternalFacts().Labels["job"] != "node" || len(ev.ExternalFacts().Fingerprint) != 16 {
		t.Errorf("raised %+v, facts %+v", ev, ev.ExternalFacts())
	}
	code, out, errOut := runBinary(t, bin, "", "status", "--json", "--config", cfg)
	var st statusJSON
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("status --json (exit %d): %v\n%s%s", code, err, out, errOut)
	}
	if n := countExternal(st.Alerts); n != 1 {
		t.Errorf("status --json lists %d external alerts, want 1: %+v", n, st.Alerts)
	}

	alert["endsAt"] = time.Now().Add(-time.Second).UTC().Format(time.RFC3339)
	a.post(t, alert)
	b.post(t, alert)
	waitSent(t, 2, a, b)
	if n := len(externalEvents(t, jpath, room.EvAlertCleared)); n != 1 {
		t.Fatalf("alert.cleared %d times, want once:\n%s", n, rp.out.String())
	}
	_, out, _ = runBinary(t, bin, "", "status", "--json", "--config", cfg)
	st = statusJSON{}
	if err := json.Unmarshal([]byte(out), &st); err != nil || countExternal(st.Alerts) != 0 {
		t.Errorf("after resolving, status --json (%v): %s", err, out)
	}
}

func countExternal(alerts []room.Alert) int {
	n := 0
	for _, a := range alerts {
		if a.External != nil {
			n++
		}
	}
	return n
}
