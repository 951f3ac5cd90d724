package main

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"warroom/backends/actions/actionstest"
)

// check matches a dns executor's record to the mirrors with a real named on
// loopback: a record at a mirror's value is ok; a mirror with no value
// failover could write, a record moved to a host no mirror stands for and a
// wrong TSIG secret are each named on the executor's line, secret unshown.
func TestCheckMatchesDNSRecordToMirrors(t *testing.T) {
	f := startFleet(t, 2)
	var names []string
	for _, n := range f.Mirrors() {
		names = append(names, n.Name)
	}
	secret := actionstest.NewSecret()
	t.Setenv("WARROOM_TEST_TSIG", secret)
	ns := actionstest.StartNamed(t, "example.org", "mirror.example.org", "CNAME", names[0]+".mirrors.example.net", "warroom", secret)
	path := fleetConfig(t, f)
	executor := func(values ...string) string {
		var vs []string
		for _, n := range values {
			vs = append(vs, fmt.Sprintf("%s: %s.mirrors.example.net.", n, n))
		}
		return fmt.Sprintf(`actions:
  executors:
    - name: geo
      dns:
        server: %q
        zone: example.org.
        record: mirror.example.org.
        values: {%s}
        tsig: {name: warroom., secret: "${WARROOM_TEST_TSIG}"}
  failover: geo
`, ns.Addr, strings.Join(vs, ", "))
	}
	base, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	write := func(text string) {
		t.Helper()
		if err := os.WriteFile(path, append(base, text...), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	where := fmt.Sprintf("%s:%d: actions.executors[0] (geo): dns executor \"geo\": ", path, strings.Count(string(base), "\n")+3) // the line of "- name: geo"

	write(executor(names...))
	code, out, errOut := runCmd(t, "", "check", "--config", path)
	if code != 0 || !strings.Contains(out, ": ok") {
		t.Fatalf("record at a mirror: exit %d\n%s%s\n%s", code, out, errOut, ns.Log())
	}

	// Left without a value, the second mirror's URL host (127.0.0.1) is no
	// CNAME target; and the record now sends traffic elsewhere.
	write(executor(names[0]))
	ns.Replace(t, "mirror.example.org", "CNAME", "elsewhere.example.net.")
	code, out, errOut = runCmd(t, "", "check", "--config", path)
	for _, want := range []string{
		where + fmt.Sprintf(`mirror %q has no CNAME value (its URL's host "127.0.0.1" is not a host name for a CNAME): failover to it cannot be done; set values[%q]`, names[1], names[1]),
		where + "record mirror.example.org. answers CNAME elsewhere.example.net., which no mirror stands for: traffic goes where warroom does not watch",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q", want)
		}
	}
	if code != 2 || strings.Contains(out, ": ok") {
		t.Errorf("a mirror without a value, a stray record: exit %d, out %q, want 2", code, out)
	}

	wrong := actionstest.NewSecret()
	t.Setenv("WARROOM_TEST_TSIG", wrong)
	write(executor(names...))
	code, out, errOut = runCmd(t, "", "check", "--config", path)
	if want := where + "server " + ns.Addr + ", zone example.org.: SOA query: server answered NOTAUTH (TSIG BADSIG)"; !strings.Contains(errOut, want) {
		t.Errorf("stderr lacks %q", want)
	}
	if code != 2 || strings.Contains(out+errOut, wrong) || strings.Contains(out+errOut, secret) {
		t.Errorf("a wrong TSIG secret: exit %d, want 2 and no secret shown", code)
	}
	if t.Failed() {
		t.Logf("stdout:\n%s\nstderr:\n%s", out, errOut)
	}
}
