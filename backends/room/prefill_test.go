package room

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"warroom/backends/notify"
)

// Issue 12 item 14d and e: the open incident's fields, in the template's
// language.
func TestPrefillSpeaksTheTemplatesLanguage(t *testing.T) {
	s := &Snapshot{Site: "example", At: t0, Cadence: 30 * time.Minute,
		Mirrors:  []*MirrorView{{Name: "tokyo", Region: "ap-east", State: StateDown}, {Name: "osaka", Region: "ap-east", State: StateUp}},
		Actions:  []ActionView{{Request: Request{Kind: Failover, From: "tokyo", To: "osaka"}, State: ActionSucceeded, EndedAt: t0.Add(-time.Minute)}},
		Incident: &IncidentView{ID: "INC-20261121-1", Level: 2, Title: "东京镜像中断", Commander: "bo", Status: StatusMitigated}}
	en := Prefill(s, "en")
	if en.Level != "level 2" || en.Commander != "bo" || en.Incident != "INC-20261121-1" || en.Phase != "monitoring" {
		t.Fatalf("en: %+v", en)
	}
	zh := Prefill(s, "zh")
	want := notify.Fields{Site: "example", Time: t0, Incident: "INC-20261121-1", Title: "东京镜像中断", Commander: "bo",
		Level: "2 级", Phase: "monitoring", DownMirrors: "tokyo", Regions: "ap-east",
		Scope: "2 个镜像中 1 个中断（tokyo），地区：ap-east", Measures: "02:59 UTC 已将流量从 tokyo 切换到 osaka",
		NextUpdate: "03:30 UTC", ExpectedRecovery: "待确认"}
	if !reflect.DeepEqual(zh, want) {
		t.Fatalf("zh:\n got %+v\nwant %+v", zh, want)
	}
	// Rendered into a Chinese template, nothing English is left but names.
	title, text, err := notify.Builtin().Render("monitoring-zh", zh)
	if err != nil {
		t.Fatal(err)
	}
	for _, en := range []string{"level", "mirrors down", "to be confirmed", "failover", "investigating", " at "} {
		if strings.Contains(title+text, en) {
			t.Errorf("%q in the Chinese announcement:\n%s\n%s", en, title, text)
		}
	}
}
