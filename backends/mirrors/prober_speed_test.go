package mirrors

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"warroom/backends/config"
)

// A prober for a world on a faster clock keeps the timeout and the
// latency in that world's time: a 2s timeout at 20× gives up after 100ms
// of real time and says 2s; 40ms of real waiting at 10× reads as 400ms.
func TestProberSpeedScalesTimeoutAndLatency(t *testing.T) {
	hung := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer hung.Close()
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/health" {
			time.Sleep(40 * time.Millisecond) // the slow answer under test
		}
	}))
	defer slow.Close()

	fast := NewProber(ProberOptions{Speed: 20})
	defer fast.Close()
	m := mirrorFor(t, "hung", hung.URL, config.LagBeacon, "/lastsync")
	began := time.Now()
	o := fast.Probe(context.Background(), m)
	if o.Err != "timeout after 2s" {
		t.Errorf("hung mirror at 20×: %+v, want a timeout after 2s", o)
	}
	if d := time.Since(began); d < 100*time.Millisecond || d > 1500*time.Millisecond {
		t.Errorf("a 2s timeout at 20× took %v of real time, want about 100ms", d)
	}

	ten := NewProber(ProberOptions{Speed: 10})
	defer ten.Close()
	if o := ten.Probe(context.Background(), mirrorFor(t, "slow", slow.URL, config.LagBeacon, "/lastsync")); o.Latency < 400*time.Millisecond {
		t.Errorf("40ms of real waiting at 10× reads %v, want at least 400ms", o.Latency)
	}
}
