package main

import (
	"bytes"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	gossh "golang.org/x/crypto/ssh"

	"warroom/backends/config"
	"warroom/backends/room"
	"warroom/tui/sshroom"
)

// demoServe is `demo --serve ADDR`: the demo room over SSH too, for the
// keys of one authorized_keys file, each a commander named by its key's
// comment (NAME-ssh for a key without one, NAME being the local user), so
// everyone in a try-out tells the others' steps apart.
type demoServe struct {
	addr     string
	keysFile string
	stderr   io.Writer
}

// demoHostKey is where the demo keeps its host key: in the default state
// folder, so a second demo presents the same key (the demo's own state is
// a temporary folder).
func demoHostKey() string {
	return filepath.Join(config.Default().StateDir, "demo_"+config.DefaultHostKeyName)
}

// defaultAuthorizedKeys is ~/.ssh/authorized_keys.
func defaultAuthorizedKeys() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return ".ssh/authorized_keys"
	}
	return filepath.Join(home, ".ssh", "authorized_keys")
}

// demoRoster admits every plain key line of path as a commander named by
// the key's comment, or fallback without one; names are made unique (and
// never the local user's own), so two people never share one. Lines with
// options are skipped: the demo would not enforce them.
func demoRoster(path, fallback, local string) (*sshroom.Roster, []string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("demo --serve: %v: name a file of public keys with --authorized-keys (e.g. ~/.ssh/id_ed25519.pub)", err)
	}
	var notes []string
	var users []sshroom.User
	names := uniqueNames{local: true}
	seen := map[string]int{} // key → its line
	for i, line := range bytes.Split(data, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		key, comment, options, _, err := gossh.ParseAuthorizedKey(line)
		switch {
		case err != nil:
			notes = append(notes, fmt.Sprintf("%s:%d: skipped: %v", path, i+1, err))
		case len(options) > 0:
			notes = append(notes, fmt.Sprintf("%s:%d: skipped: has options (%s) the demo would not enforce", path, i+1, strings.Join(options, ",")))
		case seen[string(key.Marshal())] > 0:
			notes = append(notes, fmt.Sprintf("%s:%d: skipped: the same key as line %d", path, i+1, seen[string(key.Marshal())]))
		default:
			seen[string(key.Marshal())] = i + 1
			name := personName(comment)
			if name == "" {
				name = fallback
			}
			users = append(users, sshroom.User{Name: names.claim(name), Role: room.RoleCommander,
				Keys: []string{strings.TrimSpace(string(gossh.MarshalAuthorizedKey(key)))}, Origin: fmt.Sprintf("%s:%d", path, i+1)})
		}
	}
	if len(users) == 0 {
		return nil, notes, fmt.Errorf("demo --serve: no usable public key in %s: add yours (cat ~/.ssh/id_ed25519.pub >> %s) or pass --authorized-keys FILE", path, path)
	}
	roster, problems, err := sshroom.LoadRoster(sshroom.RosterSource{Users: users})
	if err != nil {
		return nil, notes, err
	}
	for _, p := range problems {
		notes = append(notes, p.Error())
	}
	if len(roster.Users()) == 0 {
		return nil, notes, fmt.Errorf("demo --serve: nobody could log in with the keys of %s: %s", path, strings.Join(notes, "; "))
	}
	return roster, notes, nil
}

// start serves the demo's running room and returns how to stop it. The
// server logs to a file: the terminal belongs to the room.
func (d demoServe) start(s *setup, l *live) (stop func(), err error) {
	name := sshName(localName()) + "-ssh"
	roster, notes, err := demoRoster(d.keysFile, name, localName())
	for _, n := range notes {
		fmt.Fprintf(d.stderr, "warroom: %s\n", n)
	}
	if err != nil {
		return nil, err
	}
	// The log sits beside the host key, so it outlives the demo's own
	// temporary state folder.
	logPath := filepath.Join(filepath.Dir(demoHostKey()), "demo_ssh.log")
	if err := os.MkdirAll(filepath.Dir(logPath), 0o700); err != nil {
		return nil, fmt.Errorf("demo --serve: log: %v", err)
	}
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("demo --serve: log: %v", err)
	}
	logger := log.New(logFile, "", log.LstdFlags|log.Lmicroseconds)
	limits := config.DefaultServe()
	srv, err := newSSHServer(&sshRoom{setup: s, live: l, roster: roster, addr: d.addr,
		hostKey: demoHostKey(), limits: limits, logf: logger.Printf})
	if err == nil {
		err = srv.Listen()
	}
	if err != nil {
		logFile.Close()
		return nil, fmt.Errorf("demo --serve: %v", err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve() }()
	var joined []string
	for _, u := range roster.Users() {
		joined = append(joined, u.Name)
	}
	fmt.Fprintf(d.stderr, "warroom: the demo room is served over SSH to the keys of %s (as %s, commander).\n", d.keysFile, strings.Join(joined, ", "))
	fmt.Fprintf(d.stderr, "warroom: in another terminal type:  %s\n", sshCommand(srv.Addr(), name))
	fmt.Fprintf(d.stderr, "warroom: host key %s; log %s\n", srv.HostKeyFingerprint(), logPath)
	l.greeting = "others join this room with:  " + sshCommand(srv.Addr(), name)
	l.hosting = true
	return func() {
		ctx, cancel := shutdownContext()
		defer cancel()
		_ = srv.Shutdown(ctx)
		<-served
		logFile.Close()
	}, nil
}

// sshCommand is the exact command that reaches addr.
func sshCommand(addr, name string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "ssh " + name + "@" + addr
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	if port == "22" {
		return fmt.Sprintf("ssh %s@%s", name, host)
	}
	return fmt.Sprintf("ssh -p %s %s@%s", port, name, host)
}

// sshName keeps a local user name usable as an SSH login and a room name:
// letters, digits and . _ -, not starting with - (ssh would read an
// option), at most 60 bytes (the roster allows 64; the demo adds "-ssh").
func sshName(s string) string {
	var b strings.Builder
	for _, r := range s {
		if b.Len() == 60 {
			break
		}
		if r == '-' && b.Len() == 0 {
			continue
		}
		if r < 128 && (r == '.' || r == '_' || r == '-' || (r >= '0' && r <= '9') || (r|0x20 >= 'a' && r|0x20 <= 'z')) {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "you"
	}
	return b.String()
}

// personName makes a key's comment ("li.wei@laptop") a room name: letters,
// digits and . _ - @ +, not starting with -, at most 60 bytes; "" when
// nothing usable is left.
func personName(comment string) string {
	var b strings.Builder
	for _, r := range comment {
		if r == '-' && b.Len() == 0 {
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("._-@+", r) {
			if b.Len()+utf8.RuneLen(r) > 60 {
				break
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// uniqueNames hands out names no one else holds: the second "ana@laptop"
// becomes "ana@laptop-2".
type uniqueNames map[string]bool

func (u uniqueNames) claim(name string) string {
	out := name
	for n := 2; u[out]; n++ {
		out = fmt.Sprintf("%s-%d", name, n)
	}
	u[out] = true
	return out
}
