package main

import (
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

func TestServeRefusesUnknownKeyAndPasswords(t *testing.T) {
	f := startFleet(t, 2)
	ana := newPerson(t, "ana", "commander")
	cfg := fleetConfig(t, f)
	appendFile(t, cfg, serveSection(ana))
	sr := startServed(t, cfg)

	stranger := newPerson(t, "ana", "commander") // the right name, another key
	if c, err := sr.dial(stranger); err == nil {
		c.Close()
		t.Fatal("a key that is not in the roster got in")
	}
	fp := gossh.FingerprintSHA256(stranger.signer.PublicKey())
	if !pollUntil(10*time.Second, func() bool { return strings.Contains(sr.log.String(), fp) }) ||
		!strings.Contains(sr.log.String(), "127.0.0.1") {
		t.Errorf("the log lacks the refused key %s and the address:\n%s", fp, sr.log)
	}
	answer := func(string, string, []string, []bool) ([]string, error) { return []string{"pw"}, nil }
	c, err := gossh.Dial("tcp", sr.srv.Addr(), &gossh.ClientConfig{User: "ana",
		Auth:            []gossh.AuthMethod{gossh.Password("pw"), gossh.KeyboardInteractive(answer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second})
	if err == nil {
		c.Close()
		t.Fatal("password authentication got in")
	}
	if n := len(sr.srv.Sessions()); n != 0 {
		t.Errorf("%d sessions after refusals", n)
	}
}

func TestServeCommandsRunAsTheUserUnderTheirRole(t *testing.T) {
	f := startFleet(t, 3)
	ana, li, obs := newPerson(t, "ana", "commander"), newPerson(t, "li.wei", "operator"), newPerson(t, "ob", "observer")
	cfg, _ := routedConfig(t, f)
	appendFile(t, cfg, serveSection(ana, li, obs))
	sr := startServed(t, cfg)
	second := f.Mirrors()[1].Name

	// status reads the server's own room: the mirrors it probes.
	code, out, errOut := sr.command(t, obs, "status")
	if code > 1 || !strings.Contains(out, f.Mirrors()[0].Name) || !strings.Contains(out, "MIRROR") {
		t.Fatalf("status as observer: exit %d\n%s%s", code, out, errOut)
	}

	// An observer forcing a failover is refused by the room, naming the role.
	code, out, errOut = sr.command(t, obs, "failover --yes "+second)
	if code == 0 || !strings.Contains(errOut, "ob is observer") || !strings.Contains(errOut, "operators") {
		t.Fatalf("observer failover: exit %d, want ≠ 0 and a refusal naming the role\n%s%s", code, out, errOut)
	}
	for _, a := range sr.live.room.Snapshot().Actions {
		t.Errorf("the refused failover left an action: %+v", a)
	}
	code, _, errOut = sr.command(t, obs, "ack nope")
	if code == 0 || !strings.Contains(errOut, "ob is observer") {
		t.Errorf("observer ack: exit %d, stderr %q; want a refusal naming the role", code, errOut)
	}

	// An operator passes the role check (the alert itself does not exist).
	code, _, errOut = sr.command(t, li, "ack nope")
	if code == 0 || strings.Contains(errOut, "is operator") {
		t.Errorf("operator ack of a missing alert: exit %d, stderr %q; want refused for the alert, not the role", code, errOut)
	}

	// A commander's failover runs, attributed to them, and its exit status travels back.
	code, out, errOut = sr.command(t, ana, "failover --yes "+second)
	if code != 0 || !strings.Contains(out, "succeeded") {
		t.Fatalf("commander failover: exit %d\n%s%s", code, out, errOut)
	}
	acts := sr.live.room.Snapshot().Actions
	if len(acts) != 1 || acts[0].RequestedBy != "ana" {
		t.Fatalf("actions %+v: want one, by ana", acts)
	}
	code, _, errOut = sr.command(t, ana, "frobnicate")
	if code != 2 || !strings.Contains(errOut, "unknown command") || !strings.Contains(errOut, "ssh warroom status") {
		t.Errorf("unknown command: exit %d, stderr %q; want 2 and the SSH commands' usage", code, errOut)
	}
}

func TestServeTwoSessionsSeeEachOther(t *testing.T) {
	f := startFleet(t, 3)
	ana, li := newPerson(t, "ana", "commander"), newPerson(t, "li.wei", "operator")
	cfg, _ := routedConfig(t, f)
	appendFile(t, cfg, serveSection(ana, li))
	sr := startServed(t, cfg)

	a := openScreen(t, sr.mustDial(t, ana), 140, 45)
	a.waitFor(t, "ana's room", 10*time.Second, "Mirrors", "Timeline")
	b := openScreen(t, sr.mustDial(t, li), 140, 45)
	b.waitFor(t, "li.wei's room", 10*time.Second, "Mirrors")
	a.waitFor(t, "li.wei joining, in ana's session", 5*time.Second, "li.wei joined as operator")
	b.waitFor(t, "ana in li.wei's session", 5*time.Second, "ana joined as commander")
	if got := len(sr.live.room.Snapshot().Presence); got != 2 {
		t.Errorf("presence lists %d people, want 2", got)
	}

	// li.wei's action shows in ana's session with li.wei's name.
	second := f.Mirrors()[1].Name
	if code, out, errOut := sr.command(t, li, "failover --yes "+second); code != 0 {
		t.Fatalf("operator failover: exit %d\n%s%s", code, out, errOut)
	}
	a.waitFor(t, "li.wei's failover in ana's session", 10*time.Second, "li.wei", "failover")

	b.key(t, "q")
	b.waitEnd(t, 5*time.Second)
	a.waitFor(t, "li.wei leaving, in ana's session", 5*time.Second, "li.wei left")
}

// A client that stops reading fills its SSH window; its session's program
// then blocks writing. The others still get every change at once.
func TestServeStalledClientDoesNotDelayOthers(t *testing.T) {
	f := startFleet(t, 2)
	ana, bo, cy := newPerson(t, "ana", "observer"), newPerson(t, "bo", "observer"), newPerson(t, "cy", "commander")
	cfg := fleetConfig(t, f)
	appendFile(t, cfg, serveSection(ana, bo, cy))
	sr := startServed(t, cfg)

	// The stalled one: once it shows the room, its terminal stops reading.
	stalled := openScreen(t, sr.mustDial(t, ana), 200, 50)
	stalled.waitFor(t, "ana's room", 10*time.Second, "Mirrors")
	stalled.stall()
	b := openScreen(t, sr.mustDial(t, bo), 120, 40)
	b.waitFor(t, "bo's room", 10*time.Second, "Mirrors")

	// Full repaints of a huge screen at alternating sizes, paced so the
	// program draws each (it draws at most 30 frames a second), until well
	// past the client's 2 MiB window.
	pace := time.NewTicker(25 * time.Millisecond)
	defer pace.Stop()
	for i := range 80 {
		w, h := 400-i%2*10, 150-i%2*5
		if _, err := stalled.sess.SendRequest("window-change", false, gossh.Marshal(struct{ W, H, PW, PH uint32 }{uint32(w), uint32(h), 0, 0})); err != nil {
			t.Fatal(err)
		}
		<-pace.C
	}
	for range 3 { // a change every second the stalled session would have to draw
		start := time.Now()
		c := openScreen(t, sr.mustDial(t, cy), 80, 24)
		b.waitFor(t, "cy's join in bo's session", 2*time.Second, "cy joined as commander")
		t.Logf("a join reached the other session in %s with a stalled session open", time.Since(start).Round(time.Millisecond))
		c.waitFor(t, "cy's room", 5*time.Second, "Mirrors")
		c.key(t, "q")
		c.waitEnd(t, 5*time.Second)
		b.waitFor(t, "cy's leaving in bo's session", 2*time.Second, "cy left")
	}
	// cy's leaving reaches the room as its program ends, a moment before
	// the server forgets its session: wait for that, not for the stalled one.
	if !pollUntil(5*time.Second, func() bool { return len(sr.srv.Sessions()) == 2 }) {
		t.Errorf("sessions %+v: want the stalled one and bo's still open", sr.srv.Sessions())
	}
	for _, s := range sr.srv.Sessions() {
		if s.Name != "ana" && s.Name != "bo" {
			t.Errorf("session %+v still open; want only the stalled one (ana) and bo's", s)
		}
	}
	// The repaints were made while nobody read: once the terminal reads
	// again, at least the client's whole window (2 MiB) was waiting, so the
	// stalled program was blocked writing while the others went on.
	before := stalled.bytes()
	stalled.unstall()
	const window = 2<<20 - 64<<10 // x/crypto's 2 MiB channel window, less two packets in flight
	if !pollUntil(5*time.Second, func() bool { return stalled.bytes()-before >= window }) {
		t.Errorf("only %d bytes were waiting for the stalled terminal: the test stalled nothing", stalled.bytes()-before)
	}
}
