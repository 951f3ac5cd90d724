package drill

import (
	"strings"
	"testing"
)

// onlyMirrors is a fake fleet injector: it handles the mirror kinds only.
type onlyMirrors struct{ got []string }

func (o *onlyMirrors) Handles(kind string) bool { return Fault{Kind: kind}.TouchesMirrors() }
func (o *onlyMirrors) Inject(f Fault) (func(), error) {
	o.got = append(o.got, f.Kind)
	return func() {}, nil
}

func TestComposeRoutesByKind(t *testing.T) {
	fleet := &onlyMirrors{}
	filter := NewFilter(FilterOptions{})
	c := Compose(fleet, filter)
	for _, k := range []string{KindMirrorDown, KindRegionDown, KindSlow, KindLag, KindDrift, KindFlapping} {
		mustInject(t, c, Fault{Kind: k, Mirror: "madrid", Region: "eu-west"})()
	}
	mustInject(t, c, Fault{Kind: KindHostCPU, Percent: 90})
	if len(fleet.got) != 6 || filter.Applied() != 1 {
		t.Errorf("fleet got %v, filter %d: want the 6 mirror kinds at the fleet and the host fault at the filter", fleet.got, filter.Applied())
	}
	if !c.(Handler).Handles(KindWebhookFail) {
		t.Error("the composition does not claim what its filter handles")
	}
}

func TestComposeWithoutAHandlerSaysWhatItCanDo(t *testing.T) {
	c := Compose(nil, &onlyMirrors{})
	_, err := c.Inject(Fault{Kind: KindHostMemory, Percent: 90})
	if err == nil || !strings.Contains(err.Error(), "host-memory") || !strings.Contains(err.Error(), "mirror-down") {
		t.Fatalf("host fault with only a fleet injector: %v, want an error naming the kind and what is handled", err)
	}
	if _, err := Compose().Inject(Fault{Kind: KindSlow}); err == nil || !strings.Contains(err.Error(), "none") {
		t.Fatalf("empty composition: %v", err)
	}
}
