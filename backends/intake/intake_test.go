package intake

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"warroom/backends/config"
	"warroom/backends/room"
)

const token = "test-intake-token-0123456789"

const roomConfig = `site: t
origin: {url: "http://origin.invalid/"}
mirrors:
  - {name: tokyo, url: "http://tokyo.invalid/", region: ap}
`

// liveRoom runs a journal-less room until the test ends.
func liveRoom(t *testing.T) *room.Room {
	t.Helper()
	cfg, err := config.Parse("t.yaml", []byte(roomConfig), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	r, err := room.New(room.Options{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = r.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return r
}

// settled is the room's snapshot once what it was told is published.
func settled(t *testing.T, rm *room.Room) *room.Snapshot {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := rm.Settle(ctx); err != nil {
		t.Fatal(err)
	}
	return rm.Snapshot()
}

// serve starts the intake over rm on a loopback port until the test ends.
func serve(t *testing.T, rm Room) string {
	t.Helper()
	s, err := Start("127.0.0.1:0", Handler(Options{Token: token, Room: rm}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Close(ctx); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return "http://" + s.Addr() + Path
}

type reply struct {
	code int
	body string
	hdr  http.Header
}

func post(t *testing.T, method, url, auth string, body io.Reader) reply {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return reply{resp.StatusCode, string(b), resp.Header}
}

// payload is a webhook post of one alert with the given status.
func payload(t *testing.T, version, status string) io.Reader {
	t.Helper()
	end := time.Time{}
	if status == "resolved" {
		end = time.Now().Add(-time.Second)
	}
	b, err := json.Marshal(map[string]any{
		"version": version, "groupKey": "{}:{alertname=\"MirrorSlow\"}", "status": status, "receiver": "warroom",
		"externalURL": "http://am-a:9093", "truncatedAlerts": 0,
		"alerts": []map[string]any{{
			"status": status, "fingerprint": "0123456789abcdef",
			"labels":      map[string]string{"alertname": "MirrorSlow", "severity": "critical", "mirror": "tokyo"},
			"annotations": map[string]string{"summary": "p99 over 2s"},
			"startsAt":    time.Now().Add(-time.Minute), "endsAt": end, "generatorURL": "http://prom/graph",
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return strings.NewReader(string(b))
}

// countingRoom counts calls and answers with err.
type countingRoom struct {
	calls atomic.Int32
	err   error
}

func (c *countingRoom) ObserveExternal(context.Context, []room.ExternalAlert) (room.ExternalResult, error) {
	c.calls.Add(1)
	return room.ExternalResult{Raised: 1}, c.err
}

func TestIntakeRefusesWithoutTheToken(t *testing.T) {
	rm := &countingRoom{}
	url := serve(t, rm)
	for _, auth := range []string{"", "Bearer", "Bearer wrong-token", "Bearer " + token + "x", "Basic " + token, "Bearer " + token[:10]} {
		r := post(t, http.MethodPost, url, auth, payload(t, "4", "firing"))
		if r.code != http.StatusUnauthorized || !strings.Contains(r.body, "bearer token") || !strings.HasPrefix(r.hdr.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("Authorization %q: %d %q %v, want 401 asking for the bearer token", auth, r.code, r.body, r.hdr)
		}
	}
	if n := rm.calls.Load(); n != 0 {
		t.Errorf("the room was told %d times", n)
	}
	if r := post(t, http.MethodPost, url, "bearer "+token, payload(t, "4", "firing")); r.code != http.StatusOK || rm.calls.Load() != 1 {
		t.Errorf("right token (scheme in any case): %d %q", r.code, r.body)
	}
}

func TestIntakeAnswersBadRequestsClearly(t *testing.T) {
	rm := &countingRoom{}
	url := serve(t, rm)
	auth := "Bearer " + token
	big := strings.Repeat(" ", MaxBody+1)
	for _, c := range []struct {
		name, method, url string
		body              io.Reader
		code              int
		want              string
	}{
		{"get", http.MethodGet, url, nil, 405, "GET: POST Alertmanager's webhook to /alertmanager"},
		{"other path", http.MethodPost, strings.TrimSuffix(url, Path) + "/api/v1/alerts", payload(t, "4", "firing"), 404, `no such path "/api/v1/alerts"`},
		{"bad json", http.MethodPost, url, strings.NewReader(`{"version": "4", "alerts": [}`), 400, "invalid character '}' looking for beginning of value at byte 29"},
		{"wrong type", http.MethodPost, url, strings.NewReader(`{"version": "4", "alerts": {}}`), 400, "alerts is object, want a list"},
		{"version", http.MethodPost, url, payload(t, "3", "firing"), 400, `version "3": warroom takes Alertmanager's webhook version 4`},
		{"status", http.MethodPost, url, payload(t, "4", "pending"), 400, `alerts[0].status "pending": want firing or resolved`},
		{"no labels", http.MethodPost, url, strings.NewReader(`{"version":"4","alerts":[{"status":"firing"}]}`), 400, "alerts[0].labels: missing"},
		{"too big, said", http.MethodPost, url, strings.NewReader(big), 413, "over the 1048576-byte limit"},
		{"too big, chunked", http.MethodPost, url, io.MultiReader(strings.NewReader(big)), 413, "payload over the 1048576-byte limit"},
	} {
		r := post(t, c.method, c.url, auth, c.body)
		if r.code != c.code || !strings.Contains(r.body, c.want) {
			t.Errorf("%s: %d %q, want %d …%s…", c.name, r.code, r.body, c.code, c.want)
		}
		if c.code == 405 && r.hdr.Get("Allow") != http.MethodPost {
			t.Errorf("%s: Allow %q", c.name, r.hdr.Get("Allow"))
		}
	}
	if n := rm.calls.Load(); n != 0 {
		t.Errorf("bad requests reached the room %d times", n)
	}
}

// A room that cannot record asks Alertmanager to deliver again (5xx).
func TestIntakeAsksForARetryWhenTheRoomCannotRecord(t *testing.T) {
	rm := &countingRoom{err: &room.NotLeaderError{Leader: "eu-1"}}
	r := post(t, http.MethodPost, serve(t, rm), "Bearer "+token, payload(t, "4", "firing"))
	if r.code != http.StatusServiceUnavailable || !strings.Contains(r.body, "deliver again") || !strings.Contains(r.body, "eu-1") {
		t.Errorf("%d %q, want 503 naming the leader", r.code, r.body)
	}
}

// The same alert twice (an HA pair) is one alert; resolved clears it.
func TestIntakeDedupesAndResolvesInTheRoom(t *testing.T) {
	rm := liveRoom(t)
	url := serve(t, rm)
	auth := "Bearer " + token
	if r := post(t, http.MethodPost, url, auth, payload(t, "4", "firing")); r.code != 200 || r.body != "1 raised, 0 cleared, 0 already known, 0 refused\n" {
		t.Fatalf("first: %d %q", r.code, r.body)
	}
	if r := post(t, http.MethodPost, url, auth, payload(t, "4", "firing")); r.code != 200 || !strings.HasPrefix(r.body, "0 raised, 0 cleared, 1 already known") {
		t.Fatalf("twin: %d %q", r.code, r.body)
	}
	s := settled(t, rm)
	if len(s.Alerts) != 1 {
		t.Fatalf("alerts = %+v, want one", s.Alerts)
	}
	a := s.Alerts[0]
	if a.ID != "external/MirrorSlow/01234567" || a.Severity != room.Critical || a.Subject != "tokyo" || a.External.Deliveries != 2 ||
		a.External.Source != "warroom http://am-a:9093" {
		t.Errorf("alert = %+v %+v", a, a.External)
	}
	if r := post(t, http.MethodPost, url, auth, payload(t, "4", "resolved")); r.code != 200 || !strings.HasPrefix(r.body, "0 raised, 1 cleared") {
		t.Fatalf("resolve: %d %q", r.code, r.body)
	}
	if s := settled(t, rm); len(s.Alerts) != 0 {
		t.Errorf("after resolve: %+v", s.Alerts)
	}
}
