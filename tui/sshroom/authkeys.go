package sshroom

import (
	"bytes"
	"fmt"
	"os"
	"strings"

	gossh "golang.org/x/crypto/ssh"

	"warroom/backends/room"
)

// maxAuthorizedKeysSize bounds what a reload reads; real files are kilobytes.
const maxAuthorizedKeysSize = 16 << 20

// Environment names that carry identity in authorized_keys options.
const (
	envUser = "WARROOM_USER"
	envRole = "WARROOM_ROLE"
)

// ignoredOption says whether an option only restricts things warroom never
// offers (forwarding, a shell), so ignoring it widens nothing. Any other
// option is refused: warroom would not enforce it (from=, command=, ...).
func ignoredOption(name string) bool {
	switch name {
	case "no-port-forwarding", "no-agent-forwarding", "no-x11-forwarding", "no-user-rc", "restrict", "no-pty":
		return true
	}
	return false
}

// addAuthorizedKeysFile reads path line by line, each line on its own: a bad
// line is a problem with its number and the next line still loads.
func (b *rosterBuilder) addAuthorizedKeysFile(path string) error {
	info, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("authorized keys %s: %w", path, err)
	}
	if info.Size() > maxAuthorizedKeysSize {
		return fmt.Errorf("authorized keys %s: %d bytes, more than %d: is this the right file?", path, info.Size(), maxAuthorizedKeysSize)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("authorized keys %s: %w", path, err)
	}
	for i, line := range bytes.Split(data, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		at := Problem{Source: path, Line: i + 1}
		if msg := b.addAuthorizedLine(line, fmt.Sprintf("%s:%d", path, i+1), at); msg != "" {
			at.Msg = msg
			b.problem(at)
		}
	}
	return nil
}

// addAuthorizedLine adds one line and returns why it was skipped, or "".
func (b *rosterBuilder) addAuthorizedLine(line []byte, where string, at Problem) string {
	key, comment, options, rest, err := gossh.ParseAuthorizedKey(line)
	if err != nil || len(rest) > 0 {
		return fmt.Sprintf("not an authorized_keys line (%v): want [options] TYPE BASE64 NAME role=ROLE; line starts %q", err, prefix(line, 32))
	}
	var name, role string
	isCA := false
	var principals []string
	for _, opt := range options {
		k, v, _ := strings.Cut(opt, "=")
		switch k = strings.ToLower(k); {
		case k == "cert-authority":
			isCA = true
		case k == "principals":
			for _, p := range strings.Split(unquote(v), ",") {
				if p = strings.TrimSpace(p); p != "" {
					principals = append(principals, p)
				}
			}
		case k == "environment":
			ek, ev, _ := strings.Cut(unquote(v), "=")
			switch ek {
			case envUser:
				name = ev
			case envRole:
				role = ev
			}
		case ignoredOption(k):
		default:
			return fmt.Sprintf("option %q is not supported by warroom and would not be enforced: remove it or the line", opt)
		}
	}
	if _, ok := key.(*gossh.Certificate); ok {
		return "a certificate can't be listed as a key: trust its CA with a cert-authority line"
	}
	if isCA {
		b.st.cas = append(b.st.cas, trustedCA{key: key, principals: principals})
		return ""
	}
	if len(principals) > 0 {
		return "principals= only applies to cert-authority lines"
	}
	cname, crole := parseComment(comment)
	if name == "" {
		name = cname
	}
	if role == "" {
		role = crole
	}
	if name == "" {
		return fmt.Sprintf(`no user name: add environment="%s=NAME" or put NAME in the comment`, envUser)
	}
	if err := validName(name); err != nil {
		return err.Error()
	}
	r := room.RoleObserver
	if role != "" {
		if r, err = room.ParseRole(role); err != nil {
			return err.Error()
		}
	}
	u := User{Name: name, Role: r}
	if b.keyConflict(key, u, at) || !b.claimName(name, r, where, at) {
		return ""
	}
	b.addKey(key, u, where, at)
	return ""
}

// parseComment reads "li.wei role=operator": the first word that is not
// role=... is the name.
func parseComment(comment string) (name, role string) {
	for _, f := range strings.Fields(comment) {
		if v, ok := strings.CutPrefix(f, "role="); ok {
			if role == "" {
				role = v
			}
		} else if name == "" {
			name = f
		}
	}
	return name, role
}

// unquote strips the double quotes of an option value and its \" escapes.
func unquote(v string) string {
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		v = v[1 : len(v)-1]
	}
	return strings.ReplaceAll(v, `\"`, `"`)
}

func prefix(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}
