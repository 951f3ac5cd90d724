package actions_test

import (
	"maps"
	"strings"
	"testing"

	"warroom/backends/actions/actionstest"
	"warroom/backends/config"
)

// Someone drains the plan's from by hand between the plan and the run: the
// backend no longer matches the plan, so the failover refuses and HAProxy
// keeps what they set.
func TestIntegrationHAProxyRefusesABackendChangedByHand(t *testing.T) {
	h, n, _, mirrors := fleetBehindHAProxy(t)
	x := mustNew(t, config.Executor{Name: "lb", HAProxy: &config.HAProxyExecutor{Address: h.SocketPath, Backend: "mirrors"}}, mirrors, nil)
	if _, err := x.Plan(failover(n[0], n[1])); err != nil {
		t.Fatal(err)
	}
	if r, err := h.Command("set server mirrors/" + n[0] + " state drain"); err != nil || strings.TrimSpace(r) != "" {
		t.Fatalf("drain %s by hand: %q %v", n[0], r, err)
	}
	before := serverStates(t, h)
	var out lines
	_, err := x.Run(t.Context(), failover(n[0], n[1]), out.out)
	wantErr(t, err, `haproxy executor "lb"`, n[0]+" is DRAIN, not taking traffic as the plan's from (someone else changed the backend)",
		"nothing was changed")
	if after := serverStates(t, h); !maps.Equal(before, after) {
		t.Fatalf("a refused failover changed the backend:\nbefore %v\nafter  %v", before, after)
	}
	if strings.Contains(out.String(), "set server") {
		t.Fatalf("a refused failover sent a change:\n%s", out.String())
	}
}

// Weight mode cannot lift maintenance: a failover to a server in
// maintenance would leave no server with traffic, so it is refused whole.
func TestIntegrationHAProxyWeightModeRefusesATargetInMaintenance(t *testing.T) {
	h, n, _, mirrors := fleetBehindHAProxy(t)
	x := mustNew(t, config.Executor{Name: "lb", HAProxy: &config.HAProxyExecutor{Address: h.SocketPath, Backend: "mirrors", Mode: "weight"}}, mirrors, nil)
	before := serverStates(t, h)
	_, err := x.Run(t.Context(), failover(n[0], n[1]), func(string) {})
	wantErr(t, err, n[1]+" is MAINT weight 100: weight mode cannot bring it back", "nothing was changed")
	if after := serverStates(t, h); !maps.Equal(before, after) {
		t.Fatalf("a refused failover changed the backend:\nbefore %v\nafter  %v", before, after)
	}
}

// serverStates reads each server's operational state, admin state and
// weight from haproxy itself.
func serverStates(t *testing.T, h *actionstest.HAProxy) map[string]string {
	t.Helper()
	r, err := h.Command("show servers state " + h.Backend)
	if err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(strings.TrimSpace(r), "\n")
	if len(rows) < 3 || !strings.HasPrefix(rows[1], "# ") {
		t.Fatalf("show servers state: %q", r)
	}
	col := map[string]int{}
	for i, c := range strings.Fields(rows[1][2:]) {
		col[c] = i
	}
	out := map[string]string{}
	for _, row := range rows[2:] {
		f := strings.Fields(row)
		out[f[col["srv_name"]]] = strings.Join([]string{f[col["srv_op_state"]], f[col["srv_admin_state"]], f[col["srv_uweight"]]}, "/")
	}
	return out
}
