package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// A platform answering 429 with an absurd Retry-After does not hold
// announce --yes: it says the post is parked (with the date of its next
// attempt, at most the cap away) and exits non-zero, quickly.
func TestAnnounceGivesUpOnAFarRetry(t *testing.T) {
	for _, v := range []string{"999999", "99999999999999999999"} {
		t.Run(v, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", v)
				w.WriteHeader(http.StatusTooManyRequests)
				fmt.Fprint(w, "slow down")
			}))
			defer srv.Close()
			f := startFleet(t, 2)
			cfg := fleetConfig(t, f)
			appendFile(t, cfg, fmt.Sprintf("notify:\n  channels:\n    - {name: hook, kind: webhook, url: %q, body: '{\"text\": {{json .Text}}}'}\n", srv.URL+"/h"))
			start := time.Now()
			code, out, errOut := runCmd(t, "", "announce", "--config", cfg, "--template", "investigating", "--yes")
			if code == 0 || !strings.Contains(out, "hook: not sent yet (attempt 1: webhook: HTTP 429: slow down)") ||
				!strings.Contains(out, "stays in the outbox") || !strings.Contains(errOut, "not delivered to hook") {
				t.Fatalf("exit %d\n%s%s", code, out, errOut)
			}
			_, after, _ := strings.Cut(out, "not before ")
			next, err := time.Parse("2006-01-02 15:04:05 MST", strings.SplitN(after, ", so", 2)[0])
			if err != nil || next.Before(start.Add(9*time.Minute)) || next.After(start.Add(11*time.Minute)) {
				t.Errorf("next attempt %v (%v) is not about 10 minutes away:\n%s", next, err, out)
			}
			if took := time.Since(start); took > 30*time.Second {
				t.Errorf("announce took %s", took)
			}
		})
	}
}
