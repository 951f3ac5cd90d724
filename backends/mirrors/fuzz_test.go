package mirrors

import (
	"testing"
	"time"

	"warroom/backends/config"
)

// The fuzz targets check that hostile input never panics and that anything
// accepted is a plausible sync time. Run them by hand, e.g.
// go test -run '^$' -fuzz FuzzParseTrace -fuzztime 20s ./backends/mirrors/

func checkAccepted(t *testing.T, got time.Time) {
	t.Helper()
	if got.IsZero() {
		return
	}
	if got.Before(minPlausible) || got.After(testNow.Add(futureSlack)) {
		t.Fatalf("accepted implausible time %v", got)
	}
}

func FuzzParseBeacon(f *testing.F) {
	for _, s := range []string{"1787407460\n", "-1", "abc", "99999999999999999999", "\x00", " 1787407460 "} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := ParseBeacon(b, testNow)
		if err == nil {
			checkAccepted(t, got)
		}
	})
}

func FuzzParseTrace(f *testing.F) {
	for _, s := range []string{goodTrace, masterTrace, "Date: Sat, 22 Aug 2026 14:04:20 +0000\n", "Sat Jan  1 00:00:00 UTC 0000\n", "Date: x\nArchive serial: 1\n", ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := ParseTrace(b, testNow)
		if err == nil {
			checkAccepted(t, got.Beacon)
			if got.Serial < 0 {
				t.Fatalf("negative serial %d", got.Serial)
			}
		}
	})
}

func FuzzParseLastModified(f *testing.F) {
	for _, s := range []string{"Sat, 22 Aug 2026 14:04:20 GMT", "", "Monday, 01-Jan-00 00:00:00 GMT"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseLastModified(s, testNow)
		if err == nil {
			checkAccepted(t, got)
		}
	})
}

func FuzzParseJSON(f *testing.F) {
	for _, s := range []string{`{"time":"2026-08-22T14:04:20Z","serial":2026082201,"version":"1.0.1"}`, `{"time":1e400}`, `{"serial":"7"}`, `[]`} {
		f.Add([]byte(s))
	}
	lag := config.Lag{Kind: config.LagJSON}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := ParseJSON(b, lag, testNow)
		if err == nil {
			checkAccepted(t, got.Beacon)
			if got.Serial < 0 {
				t.Fatalf("negative serial %d", got.Serial)
			}
			if got.Beacon.IsZero() && got.Serial == 0 {
				t.Fatal("accepted a document with neither time nor serial")
			}
		}
	})
}
