package actions_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"reflect"
	"strings"
	"testing"
	"time"

	"warroom/backends/actions"
	"warroom/backends/config"
	"warroom/backends/sim"
)

// simRouter runs two upstreams behind a sim router: "osaka" ready, "tokyo"
// in maintenance.
func simRouter(t *testing.T) *sim.Router {
	t.Helper()
	f, err := sim.Start(sim.Options{Mirrors: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	ms := f.Mirrors()
	r, err := sim.StartRouter("mirrors", []sim.RouterServer{
		{Name: "osaka", URL: ms[0].URL, Ready: true, Weight: 100},
		{Name: "tokyo", URL: ms[1].URL, Weight: 100},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	return r
}

func haproxyExec(t *testing.T, addr, backend, mode string) actions.Executor {
	t.Helper()
	return mustNew(t, config.Executor{Name: "lb", HAProxy: &config.HAProxyExecutor{Address: addr, Backend: backend, Mode: mode}},
		mirrorsFor(t, map[string]string{"osaka": "http://osaka.example.net/", "tokyo": "http://tokyo.example.net/"}), nil)
}

func TestHAProxyFailoverAgainstSimRouter(t *testing.T) {
	for _, mode := range []string{"state", "drain", "weight"} {
		t.Run(mode, func(t *testing.T) {
			r := simRouter(t)
			x := haproxyExec(t, r.APIAddr(), "mirrors", mode)
			if err := x.Check(t.Context()); err != nil {
				t.Fatalf("Check: %v", err)
			}
			if mode == "weight" { // weight mode leaves states alone: both servers must be up
				if got := routerCmd(t, r, "set server mirrors/tokyo state ready"); got != "\n" {
					t.Fatalf("prepare: %q", got)
				}
			}
			var out lines
			conf, err := x.Run(t.Context(), failover("osaka", "tokyo"), out.out)
			if err != nil {
				t.Fatalf("Run: %v\n%s", err, out.String())
			}
			want := map[string]string{
				"state":  "backend mirrors: osaka MAINT, tokyo READY",
				"drain":  "backend mirrors: osaka DRAIN, tokyo READY",
				"weight": "backend mirrors: osaka READY weight 0, tokyo READY weight 100",
			}[mode]
			if conf != want {
				t.Fatalf("confirmation %q, want %q", conf, want)
			}
			if got := r.Active(); !reflect.DeepEqual(got, []string{"tokyo"}) {
				t.Fatalf("router Active = %v, want [tokyo]", got)
			}
			active, err := x.(actions.Reader).Active(t.Context())
			if err != nil || !reflect.DeepEqual(active, []string{"tokyo"}) {
				t.Fatalf("executor Active = %v, %v; want [tokyo]", active, err)
			}
			if !strings.Contains(out.String(), "set server mirrors/tokyo") {
				t.Fatalf("output does not show the commands: %s", out.String())
			}
		})
	}
}

func TestHAProxyErrorsAreHAProxysWords(t *testing.T) {
	r := simRouter(t)
	lb := mustNew(t, config.Executor{Name: "lb", HAProxy: &config.HAProxyExecutor{
		Address: r.APIAddr(), Backend: "mirrors", Servers: map[string]string{"paris": "paris-1"},
	}}, nil, nil)
	_, err := lb.Run(t.Context(), failover("osaka", "paris"), func(string) {})
	wantErr(t, err, `haproxy executor "lb"`, `server "paris-1" is not in backend "mirrors"`, "nothing was changed", "osaka READY, tokyo MAINT")
	wantErr(t, lb.Check(t.Context()), `servers["paris"] = "paris-1"`, "no such server", "osaka, tokyo")
	if got := r.Active(); !reflect.DeepEqual(got, []string{"osaka"}) {
		t.Fatalf("a failed failover changed the router: %v", got)
	}

	nob := haproxyExec(t, r.APIAddr(), "nope", "")
	wantErr(t, nob.Check(t.Context()), `backend "nope"`, `HAProxy answered "Can't find backend."`)
	_, err = nob.Run(t.Context(), failover("osaka", "tokyo"), func(string) {})
	wantErr(t, err, `HAProxy answered "Can't find backend."`, "nothing was changed")

	// Nothing listens: Check and Run say so, naming the address.
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := l.Addr().String()
	l.Close()
	wantErr(t, haproxyExec(t, dead, "mirrors", "").Check(t.Context()), dead, "connect")
	wantErr(t, haproxyExec(t, "/no/such/admin.sock", "mirrors", "").Check(t.Context()), "/no/such/admin.sock", "no such file")
}

// TestHAProxyTimeout: a socket that accepts and never answers times out
// with DeadlineExceeded.
func TestHAProxyTimeout(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close() // held open, never answered
		}
	}()
	x := haproxyExec(t, l.Addr().String(), "mirrors", "")
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = x.Run(ctx, failover("osaka", "tokyo"), func(string) {})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("returned after %v", d)
	}
}

// routerCmd sends one runtime API command to the sim router.
func routerCmd(t *testing.T, r *sim.Router, cmd string) string {
	t.Helper()
	c, err := net.DialTimeout("tcp", r.APIAddr(), 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, cmd+"\n"); err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(c)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestHAProxyReadBackNotConfirmed: a runtime API that takes every command
// and changes nothing never shows the switch, so Run fails at the timeout
// showing what it read.
func TestHAProxyReadBackNotConfirmed(t *testing.T) {
	addr := frozenAPI(t, "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight\n"+
		"1 mirrors 1 osaka 127.0.0.1 2 0 100 100\n1 mirrors 2 tokyo 127.0.0.1 2 0 100 100\n")
	x := haproxyExec(t, addr, "mirrors", "")
	ctx, cancel := context.WithTimeout(t.Context(), time.Second)
	defer cancel()
	_, err := x.Run(ctx, failover("osaka", "tokyo"), func(string) {})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}
	wantErr(t, err, "read back", "want tokyo READY and osaka MAINT", "osaka READY, tokyo READY")
}

// frozenAPI answers `show servers state` with state and every other
// command with nothing (success), changing nothing.
func frozenAPI(t *testing.T, state string) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_ = c.SetDeadline(time.Now().Add(5 * time.Second))
				cmd, _ := bufio.NewReader(c).ReadString('\n')
				if strings.HasPrefix(cmd, "show servers state") {
					_, _ = io.WriteString(c, state)
				}
			}()
		}
	}()
	return l.Addr().String()
}
