package sim

import (
	"io"
	"net/http"
	"testing"
)

// BenchmarkHealthKeepAlive: one client, one mirror, a reused connection.
func BenchmarkHealthKeepAlive(b *testing.B) {
	f, err := Start(Options{Mirrors: 1})
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr}
	url := f.Mirrors()[0].URL + "health"
	for b.Loop() {
		resp, err := c.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
	}
}

// BenchmarkStartClose1000: a 1,000-mirror fleet up and down.
func BenchmarkStartClose1000(b *testing.B) {
	for b.Loop() {
		f, err := Start(Options{Mirrors: 1000})
		if err != nil {
			b.Fatal(err)
		}
		_ = f.Close()
	}
}
