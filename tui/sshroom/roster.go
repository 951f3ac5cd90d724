package sshroom

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"

	gossh "golang.org/x/crypto/ssh"

	"warroom/backends/room"
)

// User is a person of the roster. Keys are authorized_keys-format lines
// (options and comment allowed; name and role come from Name and Role).
type User struct {
	Name   string
	Role   room.Role
	Keys   []string
	Origin string // where the user was defined, for problems ("warroom.yaml:31"); "config" if empty
}

// RosterSource says where the roster comes from. Reload reads it again.
type RosterSource struct {
	Users              []User   // from the config
	AuthorizedKeysFile string   // optional; lines carry name and role in options or comment
	CAKeys             []string // trusted user CAs, authorized_keys format, from the config
	Now                func() time.Time
}

// Roster maps verified public keys to people. Lookups never block reloads:
// a reload builds a new table and swaps it in atomically.
type Roster struct {
	mu    sync.Mutex // serialises loads so src and state stay in step
	src   RosterSource
	state atomic.Pointer[rosterState]
}

type rosterState struct {
	keys  map[string]User // by key.Marshal()
	cas   []trustedCA
	users []User // name and role per person, sorted by name
}

// trustedCA is a cert-authority entry; principals, when set, limit the names
// the CA may vouch for (OpenSSH's principals= option).
type trustedCA struct {
	key        gossh.PublicKey
	principals []string
}

// LoadRoster reads the roster. Bad entries are returned as problems and
// skipped; the error is for an authorized_keys file that cannot be read.
func LoadRoster(src RosterSource) (*Roster, []Problem, error) {
	st, problems, err := buildRoster(src)
	if err != nil {
		return nil, problems, err
	}
	r := &Roster{src: src}
	r.state.Store(st)
	return r, problems, nil
}

// Reload reads the same source again (after the file changed). If the file
// cannot be read, the previous roster stays in force and that is a problem.
func (r *Roster) Reload() []Problem {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.loadLocked(r.src)
}

// Load replaces the source (a reloaded config) and reads it, like Reload.
func (r *Roster) Load(src RosterSource) []Problem {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.loadLocked(src)
}

func (r *Roster) loadLocked(src RosterSource) []Problem {
	st, problems, err := buildRoster(src)
	if err != nil {
		return append(problems, Problem{Source: src.AuthorizedKeysFile,
			Msg: fmt.Sprintf("%v; kept the previous roster", err)})
	}
	r.src = src
	r.state.Store(st)
	return problems
}

// Lookup says who holds key: a listed key, or a certificate from a trusted CA.
func (r *Roster) Lookup(key gossh.PublicKey) (User, bool) {
	u, err := r.Identify(key)
	return u, err == nil
}

// Identify is Lookup with the reason a key is refused, for the log.
func (r *Roster) Identify(key gossh.PublicKey) (User, error) {
	if key == nil {
		return User{}, errors.New("no public key")
	}
	st := r.state.Load()
	if cert, ok := key.(*gossh.Certificate); ok {
		return st.identifyCert(cert, r.now())
	}
	if u, ok := st.keys[string(key.Marshal())]; ok {
		return u, nil
	}
	return User{}, fmt.Errorf("key %s is not in the roster", gossh.FingerprintSHA256(key))
}

// Users lists the people with listed keys (not those admitted by a CA only).
func (r *Roster) Users() []User {
	return append([]User(nil), r.state.Load().users...)
}

func (r *Roster) now() time.Time {
	r.mu.Lock()
	now := r.src.Now
	r.mu.Unlock()
	if now == nil {
		return time.Now()
	}
	return now()
}

// rosterBuilder collects entries in order; the first definition of a key or
// a name wins, and a conflicting later one is a problem.
type rosterBuilder struct {
	st       *rosterState
	keyWhere map[string]string
	names    map[string]room.Role
	nameAt   map[string]string
	problems []Problem
}

func buildRoster(src RosterSource) (*rosterState, []Problem, error) {
	b := &rosterBuilder{
		st:       &rosterState{keys: map[string]User{}},
		keyWhere: map[string]string{},
		names:    map[string]room.Role{},
		nameAt:   map[string]string{},
	}
	for _, u := range src.Users {
		b.addConfigUser(u)
	}
	for i, line := range src.CAKeys {
		key, _, _, _, err := gossh.ParseAuthorizedKey([]byte(line))
		if err != nil {
			b.problem(Problem{Source: "config", Msg: fmt.Sprintf("trusted CA key %d: %v", i+1, err)})
			continue
		}
		b.st.cas = append(b.st.cas, trustedCA{key: key})
	}
	if src.AuthorizedKeysFile != "" {
		if err := b.addAuthorizedKeysFile(src.AuthorizedKeysFile); err != nil {
			return nil, b.problems, err
		}
	}
	for name, role := range b.names {
		b.st.users = append(b.st.users, User{Name: name, Role: role})
	}
	sort.Slice(b.st.users, func(i, j int) bool { return b.st.users[i].Name < b.st.users[j].Name })
	if len(b.st.keys) == 0 && len(b.st.cas) == 0 {
		b.problem(Problem{Source: "roster", Msg: "no keys and no trusted CA: nobody can log in"})
	}
	return b.st, b.problems, nil
}

func (b *rosterBuilder) problem(p Problem) { b.problems = append(b.problems, p) }

func (b *rosterBuilder) addConfigUser(u User) {
	origin := u.Origin
	if origin == "" {
		origin = "config"
	}
	where := fmt.Sprintf("%s: user %q", origin, u.Name)
	if err := validName(u.Name); err != nil {
		b.problem(Problem{Source: origin, Msg: err.Error()})
		return
	}
	role, err := room.ParseRole(string(u.Role))
	if u.Role == "" {
		role, err = room.RoleObserver, nil
	}
	if err != nil {
		b.problem(Problem{Source: where, Msg: err.Error()})
		return
	}
	if !b.claimName(u.Name, role, where, Problem{Source: where}) {
		return
	}
	for i, line := range u.Keys {
		key, _, _, _, err := gossh.ParseAuthorizedKey([]byte(line))
		if err != nil {
			b.problem(Problem{Source: where, Msg: fmt.Sprintf("key %d: %v", i+1, err)})
			continue
		}
		if _, ok := key.(*gossh.Certificate); ok {
			b.problem(Problem{Source: where, Msg: fmt.Sprintf("key %d is a certificate: trust its CA instead", i+1)})
			continue
		}
		b.addKey(key, User{Name: u.Name, Role: role}, fmt.Sprintf("%s key %d", where, i+1), Problem{Source: where})
	}
}

// claimName records name's role; a second, different role for the same name
// is refused (which role a person has must not depend on the key they use).
func (b *rosterBuilder) claimName(name string, role room.Role, where string, at Problem) bool {
	if had, ok := b.names[name]; ok && had != role {
		at.Msg = fmt.Sprintf("user %q is %s at %s, here %s: skipped (one role per person)", name, had, b.nameAt[name], role)
		b.problem(at)
		return false
	} else if !ok {
		b.names[name] = role
		b.nameAt[name] = where
	}
	return true
}

// keyConflict reports (as a problem) a key already given to someone else.
func (b *rosterBuilder) keyConflict(key gossh.PublicKey, u User, at Problem) bool {
	k := string(key.Marshal())
	prev, ok := b.st.keys[k]
	if !ok || (prev.Name == u.Name && prev.Role == u.Role) {
		return false
	}
	at.Msg = fmt.Sprintf("key %s already belongs to %q at %s: skipped", gossh.FingerprintSHA256(key), prev.Name, b.keyWhere[k])
	b.problem(at)
	return true
}

// addKey gives key to u unless it already belongs to someone.
func (b *rosterBuilder) addKey(key gossh.PublicKey, u User, where string, at Problem) {
	if b.keyConflict(key, u, at) {
		return
	}
	k := string(key.Marshal())
	if _, ok := b.st.keys[k]; !ok {
		b.st.keys[k] = u
		b.keyWhere[k] = where
	}
}

// validName keeps names printable in the timeline and the log.
func validName(name string) error {
	if name == "" {
		return errors.New("empty user name")
	}
	if len(name) > 64 {
		return fmt.Errorf("user name %q is longer than 64 bytes", name)
	}
	for _, r := range name {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("._-@+", r)) {
			return fmt.Errorf("user name %q: only letters, digits and . _ - @ + are allowed", name)
		}
	}
	return nil
}
