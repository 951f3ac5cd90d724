package sshroom

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	gossh "golang.org/x/crypto/ssh"

	"warroom/backends/room"
)

func TestUnknownKeyRefused(t *testing.T) {
	_, alice := newKey(t)
	stranger, _ := newKey(t)
	srv, logs := startServer(t, rosterOf(t, User{Name: "alice", Role: room.RoleCommander, Keys: []string{alice}}), nil)
	if c, err := dial(srv.Addr(), "alice", gossh.PublicKeys(stranger)); err == nil {
		c.Close()
		t.Fatal("a key that is not in the roster got a connection")
	}
	want := "key ssh-ed25519 " + gossh.FingerprintSHA256(stranger.PublicKey()) + ": refused: key"
	if !logs.has(want) || !logs.has("127.0.0.1") {
		t.Errorf("log lacks the refusal with fingerprint and address %q", want)
	}
	if n := len(srv.Sessions()); n != 0 {
		t.Errorf("%d sessions after a refused key", n)
	}
}

func TestPasswordAndKeyboardInteractiveRefused(t *testing.T) {
	_, alice := newKey(t)
	srv, _ := startServer(t, rosterOf(t, User{Name: "alice", Role: room.RoleCommander, Keys: []string{alice}}), nil)
	answer := func(string, string, []string, []bool) ([]string, error) { return []string{"secret"}, nil }
	c, err := dial(srv.Addr(), "alice", gossh.Password("secret"), gossh.KeyboardInteractive(answer))
	if err == nil {
		c.Close()
		t.Fatal("password authentication was accepted")
	}
	// The server offers public keys only, so the client has nothing to try.
	if !strings.Contains(err.Error(), "no supported methods remain") {
		t.Fatalf("want the client to find no supported method, got %v", err)
	}
}

func TestMalformedLineDoesNotLockOutLaterUsers(t *testing.T) {
	_, ana := newKey(t)
	li, liLine := newKey(t)
	path := tempFile(t, "authorized_keys",
		ana+" ana role=commander",
		"ssh-ed25519 not-a-key at all",
		`environment="WARROOM_USER=li.wei",environment="WARROOM_ROLE=operator" `+liLine,
	)
	roster, problems, err := LoadRoster(RosterSource{AuthorizedKeysFile: path})
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) != 1 || problems[0].Line != 2 || !strings.HasPrefix(problems[0].Error(), path+":2: ") {
		t.Fatalf("want one problem at %s:2, got:\n%s", path, problemsText(problems))
	}
	srv, _ := startServer(t, roster, nil)
	c := mustDial(t, srv.Addr(), li)
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	out, err := sess.CombinedOutput("status")
	if err != nil {
		t.Fatalf("command: %v %s", err, out)
	}
	if want := `user=li.wei role=operator args=["status"]`; !strings.Contains(string(out), want) {
		t.Fatalf("want %q, got %q", want, out)
	}
}

func TestCertificateLogin(t *testing.T) {
	ca, caLine := newKey(t)
	user, _ := newKey(t)
	roster, _, err := LoadRoster(RosterSource{CAKeys: []string{caLine}})
	if err != nil {
		t.Fatal(err)
	}
	srv, logs := startServer(t, roster, nil)

	good, _ := newCert(t, ca, user, certSpec{principals: []string{"li.wei"}, critical: map[string]string{CertRoleOption: "comms"}})
	c := mustDial(t, srv.Addr(), good)
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	out, err := sess.CombinedOutput("whoami")
	if err != nil || !strings.Contains(string(out), "user=li.wei role=comms") {
		t.Fatalf("want li.wei (comms), got %q, %v", out, err)
	}

	expired, _ := newCert(t, ca, user, certSpec{principals: []string{"li.wei"}, validAfter: time.Now().Add(-2 * time.Hour), validBefore: time.Now().Add(-time.Hour)})
	if c, err := dial(srv.Addr(), "li.wei", gossh.PublicKeys(expired)); err == nil {
		c.Close()
		t.Fatal("an expired certificate was accepted")
	}
	if !logs.has("cert has expired") {
		t.Error("log lacks the expired certificate")
	}

	elsewhere, _ := newCert(t, ca, user, certSpec{principals: []string{"li.wei"}, critical: map[string]string{"source-address": "10.0.0.0/8"}})
	if c, err := dial(srv.Addr(), "li.wei", gossh.PublicKeys(elsewhere)); err == nil {
		c.Close()
		t.Fatal("a certificate limited to 10.0.0.0/8 was accepted from 127.0.0.1")
	}
}

func TestPTYSessionShowsUserFrame(t *testing.T) {
	alice, aliceLine := newKey(t)
	srv, logs := startServer(t, rosterOf(t, User{Name: "alice", Role: room.RoleCommander, Keys: []string{aliceLine}}), nil)
	c := mustDial(t, srv.Addr(), alice)
	tm := openTerminal(t, c)
	if err := tm.waitFor("hello alice (commander)", 5*time.Second); err != nil {
		t.Fatal(err)
	}
	t.Logf("first frame %s after the session request (loopback, -race)", time.Since(tm.started).Round(time.Millisecond))
	// The renderer is the session's: 256 colours, bold as the model asked.
	if !strings.Contains(tm.output(), "\x1b[1mhello alice (commander)") {
		t.Errorf("frame not styled by the session renderer: %q", tm.output())
	}
	infos := srv.Sessions()
	if len(infos) != 1 || infos[0].Name != "alice" || infos[0].Role != room.RoleCommander || !infos[0].PTY ||
		infos[0].Fingerprint != gossh.FingerprintSHA256(alice.PublicKey()) || !strings.HasPrefix(infos[0].Remote, "127.0.0.1:") {
		t.Fatalf("Sessions() = %+v", infos)
	}
	if _, err := tm.stdin.Write([]byte("q")); err != nil {
		t.Fatal(err)
	}
	if err := tm.wait(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	if !pollUntil(5*time.Second, func() bool { return len(srv.Sessions()) == 0 }) {
		t.Fatalf("session still listed after it ended: %+v", srv.Sessions())
	}
	if !logs.has("alice (commander) key "+gossh.FingerprintSHA256(alice.PublicKey())) || !logs.has("authenticated") {
		t.Error("log lacks the session start with the key fingerprint")
	}
}

func TestCommandRunsAsUser(t *testing.T) {
	bob, bobLine := newKey(t)
	srv, _ := startServer(t, rosterOf(t, User{Name: "bob", Role: room.RoleObserver, Keys: []string{bobLine}}), nil)
	c := mustDial(t, srv.Addr(), bob)
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	out, err := sess.CombinedOutput("fail 'two words'")
	var exit *gossh.ExitError
	if !errors.As(err, &exit) || exit.ExitStatus() != 3 {
		t.Fatalf("want exit status 3, got %v", err)
	}
	if want := `user=bob role=observer args=["fail" "two words"]`; !strings.Contains(string(out), want) || !strings.Contains(string(out), "failing as asked") {
		t.Fatalf("want %q and the stderr line, got %q", want, out)
	}
}

func TestHandshakeTimeoutClosesSilentConnection(t *testing.T) {
	_, alice := newKey(t)
	const hs = 300 * time.Millisecond
	srv, logs := startServer(t, rosterOf(t, User{Name: "alice", Keys: []string{alice}}), func(o *Options) { o.HandshakeTimeout = hs })
	conn, err := net.Dial("tcp", srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	_ = conn.SetReadDeadline(start.Add(5 * time.Second))
	_, err = io.Copy(io.Discard, conn) // the server's banner, then EOF when it closes
	elapsed := time.Since(start)
	if err != nil {
		t.Fatalf("want the server to close the connection, got %v after %s", err, elapsed)
	}
	if elapsed < hs*8/10 || elapsed > hs+2*time.Second {
		t.Fatalf("closed after %s, want about %s", elapsed, hs)
	}
	if !logs.has("no completed SSH handshake within 300ms") {
		t.Error("log lacks the handshake timeout")
	}
}

func TestSessionsLeaveNoGoroutines(t *testing.T) {
	alice, aliceLine := newKey(t)
	srv, _ := startServer(t, rosterOf(t, User{Name: "alice", Role: room.RoleOperator, Keys: []string{aliceLine}}), nil)
	baseline := runtime.NumGoroutine()
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := dial(srv.Addr(), "alice", gossh.PublicKeys(alice))
			if err != nil {
				errs <- err
				return
			}
			defer c.Close()
			tm, err := startTerminal(c)
			if err != nil {
				errs <- err
				return
			}
			if err := tm.waitFor("hello alice (operator)", 10*time.Second); err != nil {
				errs <- err
				return
			}
			if i%2 == 0 { // half quit, half just hang up
				_, _ = tm.stdin.Write([]byte("q"))
				if err := tm.wait(10 * time.Second); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if !pollUntil(10*time.Second, func() bool { return len(srv.Sessions()) == 0 && runtime.NumGoroutine() <= baseline }) {
		buf := make([]byte, 1<<20)
		t.Fatalf("after 20 sessions: %d sessions, %d goroutines (baseline %d)\n%s",
			len(srv.Sessions()), runtime.NumGoroutine(), baseline, buf[:runtime.Stack(buf, true)])
	}
}

func TestSessionEndsWithItsChannelNotItsConnection(t *testing.T) {
	alice, aliceLine := newKey(t)
	srv, _ := startServer(t, rosterOf(t, User{Name: "alice", Keys: []string{aliceLine}}), nil)
	c := mustDial(t, srv.Addr(), alice) // one connection, several sessions (ControlMaster)
	tm := openTerminal(t, c)
	if err := tm.waitFor("hello alice", 5*time.Second); err != nil {
		t.Fatal(err)
	}
	tm2 := openTerminal(t, c)
	if err := tm2.waitFor("hello alice", 5*time.Second); err != nil {
		t.Fatal(err)
	}
	_ = tm.sess.Close()
	if !pollUntil(5*time.Second, func() bool { return len(srv.Sessions()) == 1 }) {
		t.Fatalf("a closed session's program kept running: %+v", srv.Sessions())
	}
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if out, err := sess.CombinedOutput("status"); err != nil || !strings.Contains(string(out), "user=alice") {
		t.Fatalf("the connection should still serve sessions: %q %v", out, err)
	}
}

func TestShutdownTellsSessionsAndReturnsQuickly(t *testing.T) {
	alice, aliceLine := newKey(t)
	roster := rosterOf(t, User{Name: "alice", Role: room.RoleComms, Keys: []string{aliceLine}})
	for _, stay := range []bool{false, true} {
		name := map[bool]string{false: "model quits", true: "model stays"}[stay]
		t.Run(name, func(t *testing.T) {
			const grace = 300 * time.Millisecond
			srv, _ := startServer(t, roster, func(o *Options) {
				o.ShutdownGrace = grace
				o.Program = func(s *Session) (tea.Model, []tea.ProgramOption) { return testModel{s: s, stay: stay}, nil }
			})
			var terms []*terminal
			for range 3 {
				tm := openTerminal(t, mustDial(t, srv.Addr(), alice))
				if err := tm.waitFor("hello alice (comms)", 5*time.Second); err != nil {
					t.Fatal(err)
				}
				terms = append(terms, tm)
			}
			start := time.Now()
			if err := srv.Shutdown(context.Background()); err != nil {
				t.Fatal(err)
			}
			took := time.Since(start)
			t.Logf("Shutdown with 3 sessions took %s", took.Round(time.Millisecond))
			limit := grace + time.Second
			if !stay {
				limit = grace // the sessions end as soon as they are told
			}
			if took > limit {
				t.Errorf("Shutdown took %s, want under %s", took, limit)
			}
			for i, tm := range terms {
				if err := tm.wait(5 * time.Second); err != nil {
					t.Errorf("session %d: %v", i, err)
				}
				if err := tm.waitFor("SERVER SHUTTING DOWN", time.Second); err != nil {
					t.Errorf("session %d never showed the notice: %v", i, err)
				}
				if !stay && !strings.Contains(tm.output(), "warroom: the server is shutting down") {
					t.Errorf("session %d lacks the closing line: %q", i, tm.output())
				}
			}
			if n := len(srv.Sessions()); n != 0 {
				t.Errorf("%d sessions left after Shutdown", n)
			}
			if _, err := dial(srv.Addr(), "alice", gossh.PublicKeys(alice)); err == nil {
				t.Error("a new connection was accepted after Shutdown")
			}
		})
	}
}

func TestHostKeyCreatedOnceAndReused(t *testing.T) {
	_, alice := newKey(t)
	roster := rosterOf(t, User{Name: "alice", Keys: []string{alice}})
	path := filepath.Join(t.TempDir(), "state", "ssh", "host_ed25519")
	first, err := New(Options{Addr: "127.0.0.1:0", HostKeyPath: path, Roster: roster, Logf: func(string, ...any) {}})
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatalf("host key not created: %v", err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("host key mode %v, want 0600", info.Mode().Perm())
	}
	// The second server reads the same key: clients see the same fingerprint.
	var seen atomic.Value
	srv, _ := startServer(t, roster, func(o *Options) { o.HostKeyPath = path })
	if srv.HostKeyFingerprint() != first.HostKeyFingerprint() {
		t.Fatalf("fingerprint changed across servers: %s then %s", first.HostKeyFingerprint(), srv.HostKeyFingerprint())
	}
	_, _ = gossh.Dial("tcp", srv.Addr(), &gossh.ClientConfig{
		User: "x",
		HostKeyCallback: func(_ string, _ net.Addr, key gossh.PublicKey) error {
			seen.Store(gossh.FingerprintSHA256(key))
			return nil
		},
	})
	if seen.Load() != first.HostKeyFingerprint() {
		t.Fatalf("client saw host key %v, want %s", seen.Load(), first.HostKeyFingerprint())
	}
}

func TestAuthFailureRateLimit(t *testing.T) {
	alice, aliceLine := newKey(t)
	stranger, _ := newKey(t)
	var clock atomic.Int64
	clock.Store(time.Date(2026, 8, 22, 14, 0, 0, 0, time.UTC).UnixNano())
	srv, logs := startServer(t, rosterOf(t, User{Name: "alice", Keys: []string{aliceLine}}), func(o *Options) {
		o.AuthRatePerMinute = 3
		o.Now = func() time.Time { return time.Unix(0, clock.Load()) }
	})
	// A user whose agent offers other keys first is not charged for them.
	others := []gossh.Signer{}
	for range 4 {
		k, _ := newKey(t)
		others = append(others, k)
	}
	for i := range 3 {
		c, err := dial(srv.Addr(), "alice", gossh.PublicKeys(append(others, alice)...))
		if err != nil {
			t.Fatalf("login %d after 4 unknown keys: %v", i, err)
		}
		c.Close()
	}
	if srv.limiter.blocked("127.0.0.1") {
		t.Fatal("failures of connections that then authenticated were charged")
	}
	for i := range 3 {
		if c, err := dial(srv.Addr(), "x", gossh.PublicKeys(stranger)); err == nil {
			c.Close()
			t.Fatalf("attempt %d: unknown key accepted", i)
		}
	}
	// The server charges a connection when it closes, just after the
	// client has seen the refusal.
	if !pollUntil(5*time.Second, func() bool { return srv.limiter.blocked("127.0.0.1") }) {
		t.Fatal("3 failed connections did not reach the limit of 3")
	}
	if c, err := dial(srv.Addr(), "alice", gossh.PublicKeys(alice)); err == nil {
		c.Close()
		t.Fatal("an IP over the failure limit still got in")
	}
	if !logs.has("refused, 3 or more failed authentications from 127.0.0.1") {
		t.Error("log lacks the rate-limit refusal")
	}
	clock.Add(int64(61 * time.Second)) // the failures age out
	c, err := dial(srv.Addr(), "alice", gossh.PublicKeys(alice))
	if err != nil {
		t.Fatalf("a minute later the IP is still refused: %v", err)
	}
	c.Close()
}

func TestMaxSessions(t *testing.T) {
	alice, aliceLine := newKey(t)
	srv, _ := startServer(t, rosterOf(t, User{Name: "alice", Keys: []string{aliceLine}}), func(o *Options) { o.MaxSessions = 1 })
	tm := openTerminal(t, mustDial(t, srv.Addr(), alice))
	if err := tm.waitFor("hello alice", 5*time.Second); err != nil {
		t.Fatal(err)
	}
	sess, err := mustDial(t, srv.Addr(), alice).NewSession()
	if err != nil {
		t.Fatal(err)
	}
	out, err := sess.CombinedOutput("status")
	if err == nil || !strings.Contains(string(out), "server is full (1 sessions)") {
		t.Fatalf("want refusal, got %q %v", out, err)
	}
}

func TestQuietLiveSessionOutlivesIdleTimeout(t *testing.T) {
	alice, aliceLine := newKey(t)
	const idle = 300 * time.Millisecond
	srv, _ := startServer(t, rosterOf(t, User{Name: "alice", Keys: []string{aliceLine}}), func(o *Options) {
		o.IdleTimeout = idle
		o.HandshakeTimeout = 200 * time.Millisecond // must not touch authenticated connections
	})
	tm := openTerminal(t, mustDial(t, srv.Addr(), alice))
	if err := tm.waitFor("hello alice", 5*time.Second); err != nil {
		t.Fatal(err)
	}
	// Nothing is drawn or typed for three idle timeouts; keepalives answered
	// by the client keep the connection.
	if err := tm.wait(3 * idle); err == nil {
		t.Fatal("a live, quiet session was closed by the idle timeout")
	}
	if _, err := tm.stdin.Write([]byte("q")); err != nil {
		t.Fatal(err)
	}
	if err := tm.wait(5 * time.Second); err != nil {
		t.Fatal(err)
	}
}

func TestFirstFrameWithManySilentConnections(t *testing.T) {
	alice, aliceLine := newKey(t)
	srv, _ := startServer(t, rosterOf(t, User{Name: "alice", Keys: []string{aliceLine}}), nil)
	// 200 connections that never send a banner hold their sockets until
	// the 10 s handshake timeout; a real user must not notice them.
	for i := range 200 {
		c, err := net.Dial("tcp", srv.Addr())
		if err != nil {
			t.Fatalf("silent connection %d: %v", i, err)
		}
		t.Cleanup(func() { _ = c.Close() })
	}
	start := time.Now()
	tm := openTerminal(t, mustDial(t, srv.Addr(), alice))
	if err := tm.waitFor("hello alice", 5*time.Second); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	t.Logf("first frame with 200 silent connections open: %s (connect + handshake + session, -race)", took.Round(time.Millisecond))
	if took > time.Second {
		t.Errorf("first frame took %s with 200 silent connections, want under 1 s", took)
	}
}
