package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"warroom/backends/config"
	"warroom/backends/room"
)

// demoServed is the real binary's `demo --serve` in a real terminal, with
// a home, state and temporary folder of the test's own, so neither the
// demo's host key nor its temporary state lands outside the test.
type demoServed struct {
	term    *terminal
	port    int
	home    string
	tmp     string // the demo's TMPDIR: its temporary state folder goes here
	errPath string // the demo's stderr, kept apart from the room on the terminal
}

// startDemoServe runs `BIN demo --serve 127.0.0.1:PORT --authorized-keys
// keys` as the local user ana.
func startDemoServe(t *testing.T, bin, keys string) *demoServed {
	t.Helper()
	d := &demoServed{port: freePort(t), home: t.TempDir(), tmp: t.TempDir()}
	d.errPath = filepath.Join(t.TempDir(), "stderr")
	env := []string{"TERM=xterm-256color", "HOME=" + d.home, "XDG_STATE_HOME=" + filepath.Join(d.home, "state"),
		"XDG_CONFIG_HOME=" + filepath.Join(d.home, "config"), "TMPDIR=" + d.tmp,
		"USER=ana", "LOGNAME=ana", "WARROOM_USER=ana"}
	cmd := fmt.Sprintf("%s demo --serve 127.0.0.1:%d --authorized-keys %s 2>%s",
		shellQuote(bin), d.port, shellQuote(keys), shellQuote(d.errPath))
	d.term = newTerminal(t, 120, 40, env, cmd)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("demo stderr:\n%s", d.stderr())
		}
	})
	return d
}

func (d *demoServed) stderr() string {
	data, _ := os.ReadFile(d.errPath)
	return string(data)
}

// waitStderr waits until the demo's stderr holds every part and returns it.
func (d *demoServed) waitStderr(t *testing.T, what string, within time.Duration, parts ...string) string {
	t.Helper()
	var text string
	if !pollUntil(within, func() bool { text = d.stderr(); return containsAll(parts...)(text) }) {
		t.Fatalf("no %s on the demo's stderr within %s; it holds:\n%s\nthe screen shows:\n%s", what, within, text, d.term.screen())
	}
	return text
}

// dial connects as login with p's key and returns the host key presented.
func (d *demoServed) dial(login string, p person) (*gossh.Client, gossh.PublicKey, error) {
	var hostKey gossh.PublicKey
	c, err := gossh.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", d.port), &gossh.ClientConfig{
		User: login, Auth: []gossh.AuthMethod{gossh.PublicKeys(p.signer)},
		HostKeyCallback: func(_ string, _ net.Addr, key gossh.PublicKey) error { hostKey = key; return nil },
		Timeout:         5 * time.Second,
	})
	return c, hostKey, err
}

func (d *demoServed) mustDial(t *testing.T, login string, p person) (*gossh.Client, gossh.PublicKey) {
	t.Helper()
	c, hostKey, err := d.dial(login, p)
	if err != nil {
		t.Fatalf("%s (key of %s): dial the demo: %v", login, p.name, err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c, hostKey
}

// quit presses q in the local room, answers y to the question it asks
// while the SSH session is in, and waits for the demo to exit 0 and
// for session to see its end.
func (d *demoServed) quit(t *testing.T, session *screen) time.Duration {
	t.Helper()
	start := time.Now()
	// q asks first while someone is in over SSH: nobody is cut off by a
	// reflex, and y ends every session.
	d.term.keys("q")
	d.term.waitFor("the question before ending the SSH session", 5*time.Second,
		containsAll("Quit warroom?", "ana-ssh is in the room: quit and end their session? y/n"))
	if strings.Contains(session.text(), "shutting down") {
		t.Fatal("q ended the SSH session before the host answered")
	}
	d.term.keys("y")
	session.waitEnd(t, 5*time.Second)
	d.term.waitFor("the demo exiting 0", 5*time.Second, containsAll("EXITED:0"))
	took := time.Since(start)
	// The demo's temporary state (journal, ssh.log) goes with it.
	if left, _ := filepath.Glob(filepath.Join(d.tmp, "warroom-demo-*")); len(left) > 0 {
		t.Errorf("the demo left its temporary state behind: %v", left)
	}
	return took
}

func writeDemoKeys(t *testing.T, content string) string {
	t.Helper()
	return writeTestFile(t, "authorized_keys", content)
}

// shellQuote quotes s for the sh that tmux runs the command with.
func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// TestDemoServeOverSSHInARealTerminal: the demo in a real terminal serves
// the same room over SSH to the key of its authorized_keys file. The
// printed command is exact and the local room's footer shows it too; the
// host key is the one printed and kept in the state folder; the SSH
// session (as ana-ssh) sees the room and both people; its acknowledgement
// reaches the local screen with a notice naming ana-ssh; and quitting
// locally ends both.
func TestDemoServeOverSSHInARealTerminal(t *testing.T) {
	bin := buildBinary(t)
	ana, bo := newPerson(t, "ana", "commander"), newPerson(t, "bo", "commander")
	keys := writeDemoKeys(t, "# who may join the demo\n\ncommand=\"date\" "+bo.keyLine()+"\n"+ana.keyLine()+"\n")
	d := startDemoServe(t, bin, keys)

	d.term.waitFor("the local room, saying how to join", 15*time.Second, containsAll("Mirrors", "Timeline", "DEMO",
		fmt.Sprintf("others join this room with:  ssh -p %d ana-ssh@127.0.0.1", d.port)))
	errText := d.waitStderr(t, "the ssh command", 5*time.Second, "in another terminal type:")
	for _, want := range []string{
		fmt.Sprintf("warroom: in another terminal type:  ssh -p %d ana-ssh@127.0.0.1\n", d.port),
		fmt.Sprintf("warroom: the demo room is served over SSH to the keys of %s (as ana-ssh, commander).\n", keys),
		fmt.Sprintf("warroom: %s:3: skipped: has options (command=\"date\")", keys),
	} {
		if !strings.Contains(errText, want) {
			t.Errorf("the demo's stderr lacks %q; it holds:\n%s", want, errText)
		}
	}
	printed := regexp.MustCompile(`host key (SHA256:\S+);`).FindStringSubmatch(errText)
	if printed == nil {
		t.Fatalf("the demo's stderr names no host key:\n%s", errText)
	}

	c, hostKey := d.mustDial(t, "ana-ssh", ana)
	if got := gossh.FingerprintSHA256(hostKey); got != printed[1] {
		t.Errorf("the server presented host key %s; the demo printed %s", got, printed[1])
	}
	// The host key lives in the default state folder below HOME, so the
	// next demo presents the same one.
	stored := filepath.Join(d.home, ".local", "state", "warroom", "demo_"+config.DefaultHostKeyName+".pub")
	pub, err := os.ReadFile(stored)
	if err != nil {
		t.Fatalf("the demo's host key is not in the state folder: %v", err)
	}
	if key, _, _, _, err := gossh.ParseAuthorizedKey(pub); err != nil || gossh.FingerprintSHA256(key) != printed[1] {
		t.Errorf("%s holds %s (%v); the demo printed %s", stored, pub, err, printed[1])
	}

	sc := openScreen(t, c, 120, 40)
	sc.waitFor(t, "the room over SSH", 10*time.Second, "DEMO", "Mirrors", "Timeline")
	sc.key(t, "9")
	sc.waitFor(t, "both people in the People pane", 5*time.Second, "2 people here", "2 commander", "ana-ssh (you)")
	d.term.keys("9")
	d.term.waitFor("the SSH session in the local People pane and timeline", 5*time.Second,
		containsAll("2 people here", "ana (you)", "ana-ssh joined as commander over SSH"))

	// The SSH session acknowledges the demo's first alert; the local room
	// shows it acknowledged, and a notice names ana-ssh.
	sc.key(t, "4")
	sc.waitFor(t, "an unacknowledged alert", 10*time.Second, "unacked")
	sc.key(t, "a")
	sc.waitFor(t, "the acknowledgement over SSH", 5*time.Second, "✓ 1 acknowledged")
	d.term.waitFor("the acknowledgement on the local screen", 5*time.Second,
		containsAll("✓ 1 acknowledged", "▸ ana-ssh acknowledged"))

	took := d.quit(t, sc)
	if !strings.Contains(sc.text(), "shutting down") {
		t.Errorf("the SSH session ended without saying why; its last output:\n%s", tail(sc.text(), 1500))
	}
	t.Logf("q to both ends: %s", took.Round(time.Millisecond))
}

// TestDemoServeRefusesAKeyNotInTheFile: a key absent from the file, and one
// present only behind options the demo would not enforce, are refused
// whatever login they use; the log names the refused key; the listed key
// still gets in afterwards.
func TestDemoServeRefusesAKeyNotInTheFile(t *testing.T) {
	bin := buildBinary(t)
	ana, stranger, restricted := newPerson(t, "ana", "commander"), newPerson(t, "eve", ""), newPerson(t, "bo", "")
	keys := writeDemoKeys(t, "no-pty "+restricted.keyLine()+"\n"+ana.keyLine()+"\n")
	d := startDemoServe(t, bin, keys)
	errText := d.waitStderr(t, "the ssh command", 15*time.Second, "in another terminal type:", "; log ")

	for _, p := range []person{stranger, restricted} {
		c, _, err := d.dial("ana-ssh", p)
		if err == nil {
			c.Close()
			t.Fatalf("the key of %s, not admitted by %s, got in", p.name, keys)
		}
		if !strings.Contains(err.Error(), "unable to authenticate") {
			t.Errorf("%s: want an authentication failure, got %v", p.name, err)
		}
	}
	logPath := regexp.MustCompile(`; log (\S+)\n`).FindStringSubmatch(errText)
	if logPath == nil {
		t.Fatalf("the demo's stderr names no log:\n%s", errText)
	}
	var logText string
	refused := func(p person) string { return gossh.FingerprintSHA256(p.signer.PublicKey()) + ": refused" }
	if !pollUntil(5*time.Second, func() bool {
		data, _ := os.ReadFile(logPath[1])
		logText = string(data)
		return strings.Contains(logText, refused(stranger)) && strings.Contains(logText, refused(restricted))
	}) {
		t.Errorf("the log does not say both keys were refused:\n%s", logText)
	}

	c, _ := d.mustDial(t, "ana-ssh", ana)
	sc := openScreen(t, c, 120, 40)
	sc.waitFor(t, "the room for the listed key", 10*time.Second, "DEMO", "Mirrors")
	sc.key(t, "9")
	sc.waitFor(t, "only ana and ana-ssh in the People pane", 5*time.Second, "2 people here", "ana-ssh (you)")
	d.quit(t, sc)
}

// TestDemoServeWithoutKeysFileStopsBeforeTheRoom: a missing keys file ends
// the demo at once with exit 2, naming the file and --authorized-keys.
func TestDemoServeWithoutKeysFileStopsBeforeTheRoom(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	t.Setenv("TMPDIR", t.TempDir())
	missing := filepath.Join(t.TempDir(), "no_such_keys")
	var errOut strings.Builder
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	code := run(ctx, []string{"demo", "--serve", "127.0.0.1:0", "--authorized-keys", missing},
		strings.NewReader(""), io.Discard, &errOut)
	if code != 2 {
		t.Errorf("exit %d, want 2; stderr:\n%s", code, errOut.String())
	}
	for _, want := range []string{missing, "--authorized-keys"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut.String())
		}
	}
	if left, _ := filepath.Glob(filepath.Join(os.Getenv("TMPDIR"), "warroom-demo-*")); len(left) > 0 {
		t.Errorf("the demo left its temporary state behind: %v", left)
	}
}

func TestDemoRosterAdmitsPlainKeysAndNotesSkippedLines(t *testing.T) {
	ana, bo, cy := newPerson(t, "ana", ""), newPerson(t, "bo", ""), newPerson(t, "cy", "")
	path := writeDemoKeys(t, strings.Join([]string{
		"# keys for the demo",
		"",
		`command="uptime",no-pty ` + bo.keyLine(),
		"   " + ana.keyLine() + " ana@laptop   ",
		"ssh-ed25519 not-base64",
		"\t",
	}, "\n"))
	roster, notes, err := demoRoster(path, "li.wei-ssh", "li.wei")
	if err != nil {
		t.Fatalf("demoRoster: %v (notes %q)", err, notes)
	}
	u, ok := roster.Lookup(ana.signer.PublicKey())
	if !ok || u.Name != "ana@laptop" || u.Role != room.RoleCommander {
		t.Errorf("the plain key: got %+v, %v; want ana@laptop (its comment), commander", u, ok)
	}
	for _, p := range []person{bo, cy} {
		if u, ok := roster.Lookup(p.signer.PublicKey()); ok {
			t.Errorf("the key of %s is admitted as %+v", p.name, u)
		}
	}
	want := []string{
		fmt.Sprintf(`%s:3: skipped: has options (command="uptime",no-pty) the demo would not enforce`, path),
		fmt.Sprintf("%s:5: skipped: ", path),
	}
	if len(notes) != len(want) {
		t.Fatalf("notes %q, want %d, one for lines 3 and 5", notes, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(notes[i], w) {
			t.Errorf("note %d is %q, want it to start %q", i, notes[i], w)
		}
	}
}

func TestDemoRosterWithoutUsableKeySaysHowToFix(t *testing.T) {
	bo := newPerson(t, "bo", "")
	path := writeDemoKeys(t, "# nobody yet\n\nrestrict "+bo.keyLine()+"\n")
	roster, notes, err := demoRoster(path, "ana-ssh", "ana")
	if err == nil {
		t.Fatalf("no error, roster %v", roster.Users())
	}
	for _, want := range []string{"no usable public key in " + path, ">> " + path, "--authorized-keys"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if len(notes) != 1 || !strings.HasPrefix(notes[0], path+":3: skipped: has options (restrict)") {
		t.Errorf("notes %q, want the options line 3 named", notes)
	}
}

// A name the roster refuses leaves nobody able to log in: an error, not a
// note the room's screen would hide.
func TestDemoRosterNobodyAdmittedIsAnError(t *testing.T) {
	ana := newPerson(t, "ana", "")
	path := writeDemoKeys(t, ana.keyLine()+"\n")
	if _, _, err := demoRoster(path, strings.Repeat("a", 70), "ana"); err == nil || !strings.Contains(err.Error(), "nobody could log in") {
		t.Errorf("a 70-byte name: err %v, want nobody could log in", err)
	}
}

func TestDemoRosterMissingFileSuggestsTheFlag(t *testing.T) {
	path := filepath.Join(t.TempDir(), "authorized_keys")
	_, _, err := demoRoster(path, "ana-ssh", "ana")
	if err == nil {
		t.Fatal("no error for a missing file")
	}
	for _, want := range []string{path, "--authorized-keys"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

// sshCommandCases are listen addresses with the command that reaches them.
var sshCommandCases = []struct {
	name, addr, user, want string
}{
	{"loopback", "127.0.0.1:2222", "ana", "ssh -p 2222 ana@127.0.0.1"},
	{"port 22 needs no -p", "127.0.0.1:22", "ana", "ssh ana@127.0.0.1"},
	{"unspecified IPv4", "0.0.0.0:2222", "ana", "ssh -p 2222 ana@localhost"},
	{"no host", ":2222", "ana", "ssh -p 2222 ana@localhost"},
	{"unspecified IPv6", "[::]:2222", "ana", "ssh -p 2222 ana@localhost"},
	{"unspecified on 22", "[::]:22", "ana", "ssh ana@localhost"},
	{"host name", "war.example.org:2222", "li.wei", "ssh -p 2222 li.wei@war.example.org"},
	// OpenSSH takes an IPv6 literal bare after user@; with brackets it
	// tries to resolve "[::1]" as a name and fails.
	{"IPv6 loopback", "[::1]:2222", "ana", "ssh -p 2222 ana@::1"},
	{"IPv6 on 22", "[2001:db8::5]:22", "ana", "ssh ana@2001:db8::5"},
	{"no port", "war.example.org", "ana", "ssh ana@war.example.org"},
}

func TestSSHCommand(t *testing.T) {
	for _, c := range sshCommandCases {
		t.Run(c.name, func(t *testing.T) {
			if got := sshCommand(c.addr, c.user); got != c.want {
				t.Errorf("sshCommand(%q, %q) = %q, want %q", c.addr, c.user, got, c.want)
			}
		})
	}
}

// TestSSHCommandOpenSSHReadsIt gives each printed command to the real
// OpenSSH client (`ssh -G` resolves its settings without connecting) and
// checks it would reach the right user, host and port.
func TestSSHCommandOpenSSHReadsIt(t *testing.T) {
	sshBin := needTool(t, "ssh", "openssh-client")
	for _, c := range sshCommandCases {
		if c.name == "no port" {
			continue // the server always listens on a port
		}
		t.Run(c.name, func(t *testing.T) {
			fields := strings.Fields(sshCommand(c.addr, c.user))
			if len(fields) < 2 || fields[0] != "ssh" {
				t.Fatalf("not an ssh command: %q", fields)
			}
			args := append([]string{"-F", "none", "-G"}, fields[1:]...)
			out, err := exec.Command(sshBin, args...).CombinedOutput()
			if err != nil {
				t.Fatalf("ssh %v: %v\n%s", args, err, out)
			}
			host, port, err := net.SplitHostPort(c.addr)
			if err != nil {
				t.Fatal(err)
			}
			if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
				host = "localhost"
			}
			got := sshSettings(string(out))
			want := map[string]string{"user": c.user, "hostname": host, "port": port}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%q: OpenSSH reads %s %q, want %q", sshCommand(c.addr, c.user), k, got[k], v)
				}
			}
		})
	}
}

// sshSettings parses `ssh -G` output: one "keyword value" a line.
func sshSettings(out string) map[string]string {
	m := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), " "); ok {
			if _, seen := m[k]; !seen {
				m[k] = v
			}
		}
	}
	return m
}

func TestSSHName(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"ana", "ana"},
		{"li.wei", "li.wei"},
		{"Ana_B-2", "Ana_B-2"},
		{"ana b", "anab"},
		{"ana@corp.example", "anacorp.example"},
		{`CORP\ana`, "CORPana"},
		{"ana;rm -rf ~", "anarm-rf"},
		{"josé", "jos"},
		// Neighbours of the letters whose 0x20 bit would alias them.
		{"@[\\]^`{|}~", "you"},
		{"li_wei-2", "li_wei-2"},
		{"李伟", "you"},
		{"", "you"},
		// ssh would read a leading - as an option; the roster takes 64 bytes, the demo adds "-ssh".
		{"--ana", "ana"},
		{strings.Repeat("a", 80), strings.Repeat("a", 60)},
	} {
		if got := sshName(c.in); got != c.want {
			t.Errorf("sshName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// Every key is its own person, named by its comment, so two people who
// join the demo tell each other apart: the comment is cleaned of what a
// name may not hold, a name already taken (or the local user's) gets a
// number, a key without a comment is NAME-ssh, and a repeated key is
// skipped with a note.
func TestDemoRosterNamesEachKeyByItsComment(t *testing.T) {
	ana, bo, cy, dee, eve := newPerson(t, "ana", ""), newPerson(t, "bo", ""), newPerson(t, "cy", ""), newPerson(t, "dee", ""), newPerson(t, "eve", "")
	path := writeDemoKeys(t, strings.Join([]string{
		ana.keyLine() + " ana@laptop",
		bo.keyLine() + " --bo \x1b[31m(desk) ",
		cy.keyLine() + " ana@laptop",
		dee.keyLine(),
		eve.keyLine() + " li.wei",
		ana.keyLine() + " ana@desktop",
	}, "\n"))
	roster, notes, err := demoRoster(path, "li.wei-ssh", "li.wei")
	if err != nil {
		t.Fatalf("demoRoster: %v (notes %q)", err, notes)
	}
	for p, want := range map[*person]string{&ana: "ana@laptop", &bo: "bo31mdesk", &cy: "ana@laptop-2", &dee: "li.wei-ssh", &eve: "li.wei-2"} {
		u, ok := roster.Lookup(p.signer.PublicKey())
		if !ok || u.Name != want || u.Role != room.RoleCommander {
			t.Errorf("key of %s: got %+v, %v; want %s, commander", p.name, u, ok, want)
		}
	}
	if len(notes) != 1 || !strings.HasPrefix(notes[0], path+":6: skipped: the same key as line 1") {
		t.Errorf("notes %q, want line 6 skipped as a repeat of line 1", notes)
	}
}

func TestPersonNameIsBounded(t *testing.T) {
	for in, want := range map[string]string{
		"li.wei@laptop":         "li.wei@laptop",
		"-x":                    "x",
		"\x00\x07":              "",
		"李伟":                    "李伟",
		strings.Repeat("é", 40): strings.Repeat("é", 30),
	} {
		if got := personName(in); got != want {
			t.Errorf("personName(%q) = %q, want %q", in, got, want)
		}
	}
}
