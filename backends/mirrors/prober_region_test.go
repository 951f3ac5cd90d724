package mirrors

import (
	"context"
	"net/http"
	"testing"

	"warroom/backends/config"
	"warroom/backends/sim"
)

// Each cluster node probes with its own region marker; a simulated mirror
// cut off from one region fails that region's probes only.
func TestProberHeaderLetsTheFleetFailOneRegion(t *testing.T) {
	f, _ := startFleet(t, 2)
	target := f.Mirrors()[1]
	target.SetUnreachableFrom("eu-west")
	from := func(region string) *Prober {
		p := NewProber(ProberOptions{FreshEvery: -1, Header: http.Header{sim.RegionHeader: {region}}})
		t.Cleanup(p.Close)
		return p
	}
	m := mirrorFor(t, target.Name, target.URL, config.LagBeacon, "/lastsync")
	m.Manifest, m.Syncing = "", ""
	if o := from("eu-west").Probe(context.Background(), m); o.OK() {
		t.Errorf("a probe from eu-west reached a mirror cut off from eu-west: %+v", o)
	}
	if o := from("us-east").Probe(context.Background(), m); !o.OK() {
		t.Errorf("a probe from us-east failed: %+v", o)
	}
	plain := NewProber(ProberOptions{FreshEvery: -1})
	defer plain.Close()
	if o := plain.Probe(context.Background(), m); !o.OK() {
		t.Errorf("a probe naming no region failed: %+v", o)
	}
	target.SetUnreachableFrom("")
	if o := from("eu-west").Probe(context.Background(), m); !o.OK() {
		t.Errorf("eu-west still cut off after the link came back: %+v", o)
	}
}
