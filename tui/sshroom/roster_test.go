package sshroom

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"warroom/backends/room"
)

func problemsText(ps []Problem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.Error() + "\n")
	}
	return b.String()
}

func wantUser(t *testing.T, r *Roster, key gossh.PublicKey, name string, role room.Role) {
	t.Helper()
	u, err := r.Identify(key)
	if err != nil {
		t.Fatalf("want %s (%s), got error: %v", name, role, err)
	}
	if u.Name != name || u.Role != role {
		t.Fatalf("want %s (%s), got %s (%s)", name, role, u.Name, u.Role)
	}
}

func TestAuthorizedKeysBadLinesAreReportedAndSkipped(t *testing.T) {
	k1, l1 := newKey(t)
	k2, l2 := newKey(t)
	k3, l3 := newKey(t)
	k4, l4 := newKey(t)
	k5, l5 := newKey(t)
	k6, l6 := newKey(t)
	path := tempFile(t, "authorized_keys",
		`# the war room`,
		`environment="WARROOM_USER=li.wei",environment="WARROOM_ROLE=operator" `+l1,
		`ssh-ed25519 AAAAthisisnotbase64!!! broken`,
		``,
		l2+` ana.silva role=commander`,
		l3+` bob role=admin`,
		`from="10.0.0.0/8" `+l4+` carol role=comms`,
		l5+` role=operator`,
		`no-port-forwarding,no-pty `+l6+` dave`,
	)
	r, problems, err := LoadRoster(RosterSource{AuthorizedKeysFile: path})
	if err != nil {
		t.Fatal(err)
	}
	wantUser(t, r, k1.PublicKey(), "li.wei", room.RoleOperator)
	wantUser(t, r, k2.PublicKey(), "ana.silva", room.RoleCommander)
	wantUser(t, r, k6.PublicKey(), "dave", room.RoleObserver)
	for _, k := range []gossh.Signer{k3, k4, k5} {
		if u, ok := r.Lookup(k.PublicKey()); ok {
			t.Errorf("key of a bad line admitted as %+v", u)
		}
	}
	text := problemsText(problems)
	for _, want := range []string{
		path + ":3: not an authorized_keys line",
		path + `:6: unknown role "admin"`,
		path + `:7: option "from=\"10.0.0.0/8\"" is not supported`,
		path + ":8: no user name",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("problems lack %q:\n%s", want, text)
		}
	}
	if len(problems) != 4 {
		t.Errorf("want 4 problems, got %d:\n%s", len(problems), text)
	}
}

func TestConfigUsersAndConflicts(t *testing.T) {
	k1, l1 := newKey(t)
	k2, l2 := newKey(t)
	k3, l3 := newKey(t)
	path := tempFile(t, "authorized_keys",
		l2+" mallory role=commander", // k2 already belongs to li.wei
		l3+" li.wei role=commander",  // li.wei is an operator
	)
	r, problems, err := LoadRoster(RosterSource{
		Users: []User{
			{Name: "li.wei", Role: room.RoleOperator, Keys: []string{l1, "ssh-ed25519 garbage", l2 + " laptop"}, Origin: "warroom.yaml:12"},
			{Name: "bad name", Role: room.RoleComms},
		},
		AuthorizedKeysFile: path,
	})
	if err != nil {
		t.Fatal(err)
	}
	wantUser(t, r, k1.PublicKey(), "li.wei", room.RoleOperator)
	wantUser(t, r, k2.PublicKey(), "li.wei", room.RoleOperator)
	if _, ok := r.Lookup(k3.PublicKey()); ok {
		t.Error("a second role for li.wei was admitted")
	}
	text := problemsText(problems)
	for _, want := range []string{
		`warroom.yaml:12: user "li.wei": key 2:`,
		`user name "bad name"`,
		path + `:1: key ` + gossh.FingerprintSHA256(k2.PublicKey()) + ` already belongs to "li.wei" at warroom.yaml:12: user "li.wei" key 3`,
		path + `:2: user "li.wei" is operator at warroom.yaml:12: user "li.wei", here commander`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("problems lack %q:\n%s", want, text)
		}
	}
	if got := r.Users(); len(got) != 1 || got[0].Name != "li.wei" {
		t.Errorf("Users() = %+v", got)
	}
}

func TestCertificates(t *testing.T) {
	ca, caLine := newKey(t)
	other, _ := newKey(t)
	user, _ := newKey(t)
	path := tempFile(t, "authorized_keys", "cert-authority "+caLine+" team CA")
	now := time.Now()
	r, problems, err := LoadRoster(RosterSource{AuthorizedKeysFile: path, Now: func() time.Time { return now }})
	if err != nil || len(problems) != 0 {
		t.Fatalf("err %v, problems:\n%s", err, problemsText(problems))
	}
	crit := map[string]string{CertRoleOption: "operator"}
	cases := []struct {
		name     string
		signer   gossh.Signer
		spec     certSpec
		wantName string
		wantRole room.Role
		wantErr  string
	}{
		{"role from critical option", ca, certSpec{principals: []string{"li.wei", "root"}, critical: crit}, "li.wei", room.RoleOperator, ""},
		{"role from extension", ca, certSpec{principals: []string{"ana"}, extensions: map[string]string{CertRoleOption: "commander"}}, "ana", room.RoleCommander, ""},
		{"no role is observer", ca, certSpec{principals: []string{"bob"}}, "bob", room.RoleObserver, ""},
		{"expired", ca, certSpec{principals: []string{"li.wei"}, validBefore: now.Add(-time.Minute)}, "", "", "expired"},
		{"not yet valid", ca, certSpec{principals: []string{"li.wei"}, validAfter: now.Add(time.Minute)}, "", "", "not yet valid"},
		{"host certificate", ca, certSpec{principals: []string{"li.wei"}, certType: gossh.HostCert}, "", "", "host certificate"},
		{"untrusted CA", other, certSpec{principals: []string{"li.wei"}}, "", "", "not trusted"},
		{"no principals", ca, certSpec{}, "", "", "no principals"},
		{"bad role", ca, certSpec{principals: []string{"li.wei"}, critical: map[string]string{CertRoleOption: "god"}}, "", "", `unknown role "god"`},
		{"unknown critical option", ca, certSpec{principals: []string{"li.wei"}, critical: map[string]string{"force-command": "ls"}}, "", "", "unsupported critical option"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, cert := newCert(t, c.signer, user, c.spec)
			u, err := r.Identify(cert)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("want error containing %q, got %v (user %+v)", c.wantErr, err, u)
				}
				return
			}
			if err != nil || u.Name != c.wantName || u.Role != c.wantRole {
				t.Fatalf("want %s (%s), got %+v, %v", c.wantName, c.wantRole, u, err)
			}
		})
	}
	// The bare key of a certified user is not admitted by the CA.
	if _, ok := r.Lookup(user.PublicKey()); ok {
		t.Error("a bare key was admitted by a cert-authority line")
	}
}

func TestCertAuthorityPrincipalsOption(t *testing.T) {
	ca, caLine := newKey(t)
	user, _ := newKey(t)
	path := tempFile(t, "authorized_keys", `cert-authority,principals="ana,li.wei" `+caLine)
	r, _, err := LoadRoster(RosterSource{AuthorizedKeysFile: path})
	if err != nil {
		t.Fatal(err)
	}
	_, cert := newCert(t, ca, user, certSpec{principals: []string{"root", "li.wei"}})
	wantUser(t, r, cert, "li.wei", room.RoleObserver)
	_, cert = newCert(t, ca, user, certSpec{principals: []string{"root"}})
	if _, err := r.Identify(cert); err == nil || !strings.Contains(err.Error(), "allowed by the CA line") {
		t.Fatalf("want refusal by principals=, got %v", err)
	}
}

func TestReloadSwapsAndKeepsOldOnUnreadableFile(t *testing.T) {
	k1, l1 := newKey(t)
	k2, l2 := newKey(t)
	path := tempFile(t, "authorized_keys", l1+" li.wei role=operator")
	r, _, err := LoadRoster(RosterSource{AuthorizedKeysFile: path})
	if err != nil {
		t.Fatal(err)
	}
	// Lookups race with reloads; -race checks the swap.
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
					r.Lookup(k1.PublicKey())
					r.Lookup(k2.PublicKey())
				}
			}
		}()
	}
	for i := range 50 {
		writeLines(t, path, fmt.Sprintf("%s ana role=commander # v%d", l2, i))
		if ps := r.Reload(); len(ps) != 0 {
			t.Fatalf("reload %d: %s", i, problemsText(ps))
		}
	}
	close(stop)
	wg.Wait()
	wantUser(t, r, k2.PublicKey(), "ana", room.RoleCommander)
	if _, ok := r.Lookup(k1.PublicKey()); ok {
		t.Error("a key removed from the file is still admitted after Reload")
	}

	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	ps := r.Reload()
	if len(ps) != 1 || !strings.Contains(ps[0].Error(), "kept the previous roster") {
		t.Fatalf("want one problem keeping the roster, got:\n%s", problemsText(ps))
	}
	wantUser(t, r, k2.PublicKey(), "ana", room.RoleCommander)

	if _, _, err := LoadRoster(RosterSource{AuthorizedKeysFile: path}); err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("LoadRoster of a missing file: want an error naming it, got %v", err)
	}
}
