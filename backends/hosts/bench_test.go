package hosts

import (
	"net/http"
	"testing"
	"time"
)

// BenchmarkExporterScrape is one reading of a host through its exporter:
// the GET over loopback, parsing the page (Debian's node_exporter 1.5 with
// its default collectors, 1,073 lines) and the Sampler's arithmetic.
func BenchmarkExporterScrape(b *testing.B) {
	page := readPage(b, "node_exporter_1.5_defaults.prom")
	srv := newStandIn(b, page)
	s := NewSampler(Options{Host: "bench", Source: NewExporter(ExporterOptions{URL: srv.URL, Client: &http.Client{}})})
	at := time.Unix(0, 0)
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		at = at.Add(15 * time.Second)
		if got := s.Sample(at); got.Err != "" {
			b.Fatal(got.Err)
		}
	}
}
