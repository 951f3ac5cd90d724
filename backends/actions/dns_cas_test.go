package actions_test

import (
	"reflect"
	"testing"

	"github.com/miekg/dns"

	"warroom/backends/actions/actionstest"
	"warroom/backends/config"
)

// Someone moves the record by hand between the plan and the run: the
// failover's update carries the prerequisite that the record still points
// at the plan's from, so BIND refuses it and the record stays theirs.
func TestIntegrationNamedRefusesARecordMovedByHand(t *testing.T) {
	secret := actionstest.NewSecret()
	ns := actionstest.StartNamed(t, "example.org", "mirror.example.org", "CNAME", "osaka.example.net", "warroom", secret)
	mirrors := mirrorsFor(t, map[string]string{"osaka": "http://osaka.example.net/",
		"tokyo": "http://tokyo.example.net/", "paris": "http://paris.example.net/"})
	x := mustNew(t, config.Executor{Name: "dns", DNS: &config.DNSExecutor{
		Server: ns.Addr, Zone: "example.org", Record: "mirror.example.org", TSIG: &config.TSIG{Name: "warroom", Secret: secret},
	}}, mirrors, nil)
	if _, err := x.Plan(failover("osaka", "tokyo")); err != nil {
		t.Fatal(err)
	}
	ns.Replace(t, "mirror.example.org", "CNAME", "paris.example.net.")

	var out lines
	_, err := x.Run(t.Context(), failover("osaka", "tokyo"), out.out)
	wantErr(t, err, `dns executor "dns"`, "the record no longer points at osaka (osaka.example.net.) (someone else moved it)",
		"mirror.example.org. CNAME is paris.example.net. (mirror paris) now", "nothing was changed")
	if got := query(t, ns.Addr, "mirror.example.org.", dns.TypeCNAME); !reflect.DeepEqual(got, []string{"paris.example.net."}) {
		t.Fatalf("a refused failover changed the record: named answers %v, want paris.example.net.\n%s", got, ns.Log())
	}

	// From where the record really points, the same move goes through.
	if _, err := x.Run(t.Context(), failover("paris", "tokyo"), out.out); err != nil {
		t.Fatalf("failover from paris: %v\n%s", err, out.String())
	}
	if got := query(t, ns.Addr, "mirror.example.org.", dns.TypeCNAME); !reflect.DeepEqual(got, []string{"tokyo.example.net."}) {
		t.Fatalf("named answers %v after the failover from paris", got)
	}
}

// A record holding more than the plan's from (a second address added by
// hand) is not the record the plan was made for: refused, unchanged.
func TestIntegrationNamedRefusesAnRRsetThatGrew(t *testing.T) {
	ns := actionstest.StartNamedZone(t, "example.org", []string{
		"www.example.org. IN A 127.0.0.10", "www.example.org. IN A 127.0.0.30"}, "", "")
	mirrors := mirrorsFor(t, map[string]string{"osaka": "http://127.0.0.10:8080/", "tokyo": "http://127.0.0.20:8080/"})
	x := mustNew(t, config.Executor{Name: "dns", DNS: &config.DNSExecutor{
		Server: ns.Addr, Zone: "example.org", Record: "www.example.org", Type: "A"}}, mirrors, nil)
	_, err := x.Run(t.Context(), failover("osaka", "tokyo"), func(string) {})
	wantErr(t, err, "no longer points at osaka (127.0.0.10)", "is 127.0.0.10 (mirror osaka), 127.0.0.30 now")
	if got := query(t, ns.Addr, "www.example.org.", dns.TypeA); len(got) != 2 {
		t.Fatalf("a refused failover changed the record: %v", got)
	}
}
