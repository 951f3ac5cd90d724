package config

import (
	"strings"
	"testing"
	"time"
)

func TestIncidentDefaults(t *testing.T) {
	c := mustParse(t, base, nil)
	if c.Incident.RTO != 15*time.Minute || c.Incident.RPO != 30*time.Second {
		t.Errorf("rto %v rpo %v, want 15m and 30s", c.Incident.RTO, c.Incident.RPO)
	}
	if c.Incident.Propose != DefaultPropose() {
		t.Errorf("propose = %+v, want %+v", c.Incident.Propose, DefaultPropose())
	}
	// A config built in Go gets the same.
	g := Config{Site: "s"}
	g.ApplyDefaults()
	if g.Incident.RTO != c.Incident.RTO || g.Incident.RPO != c.Incident.RPO || g.Incident.Propose != c.Incident.Propose {
		t.Errorf("Go defaults %+v differ from the file's %+v", g.Incident, c.Incident)
	}
}

func TestIncidentParse(t *testing.T) {
	c := mustParse(t, base+`incident:
  rto: 1h
  rpo: 5m
  propose:
    critical_alerts: 0
    mirrors_down: 3
    all_down: false
`, nil)
	x := c.Incident
	if x.RTO != time.Hour || x.RPO != 5*time.Minute || x.Line != 7 {
		t.Errorf("incident = %+v, want rto 1h, rpo 5m, line 7", x)
	}
	want := Propose{CriticalAlerts: 0, MirrorsDown: 3, RegionsDown: 2, AllDown: false}
	if x.Propose != want {
		t.Errorf("propose = %+v, want %+v (0 and false turn a condition off; the rest keep defaults)", x.Propose, want)
	}
	off := mustParse(t, base+"incident: {propose: {off: true}}\n", nil)
	if !off.Incident.Propose.Off {
		t.Error("propose.off: true not read")
	}
}

func TestIncidentErrorsNameFileLineAndField(t *testing.T) {
	_, err := Parse("warroom.yaml", []byte(base+`incident:
  rto: 0s
  rpo: soon
  propose:
    mirrors_down: -1
    regoins_down: 2
`), nil)
	errs := fieldErrors(t, err)
	got := map[string]string{}
	for _, e := range errs {
		got[e.Field] = e.Error()
	}
	for field, want := range map[string]string{
		"incident.rto":                  "warroom.yaml:8: incident.rto: \"0s\" must be positive",
		"incident.rpo":                  "warroom.yaml:9: incident.rpo:",
		"incident.propose.mirrors_down": "warroom.yaml:11: incident.propose.mirrors_down: \"-1\" must not be negative",
		"incident.propose.regoins_down": "warroom.yaml:12:",
	} {
		if !strings.Contains(got[field], want) {
			t.Errorf("%s: got %q, want it to contain %q (all: %v)", field, got[field], want, err)
		}
	}
	if !strings.Contains(got["incident.propose.regoins_down"], "regions_down") {
		t.Errorf("misspelt key: %q should suggest regions_down", got["incident.propose.regoins_down"])
	}
}

func TestIncidentValidateGoConfig(t *testing.T) {
	c := Default()
	c.Site = "s"
	c.Incident.Propose.RegionsDown = -2
	c.ApplyDefaults()
	err := c.Validate()
	if err == nil || !strings.Contains(err.Error(), "incident.propose.regions_down: \"-2\" must not be negative") {
		t.Fatalf("Validate = %v, want the negative regions_down named", err)
	}
}
