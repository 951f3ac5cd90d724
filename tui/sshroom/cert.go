package sshroom

import (
	"bytes"
	"fmt"
	"slices"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"warroom/backends/room"
)

// CertRoleOption names the certificate critical option or extension that
// carries the role (ssh-keygen -O critical:warroom-role@warroom=operator).
const CertRoleOption = "warroom-role@warroom"

// identifyCert admits a user certificate signed by a trusted CA: the name is
// the first principal the CA may vouch for, the role comes from
// CertRoleOption (observer when absent).
func (st *rosterState) identifyCert(cert *gossh.Certificate, now time.Time) (User, error) {
	desc := fmt.Sprintf("certificate %q (serial %d)", cert.KeyId, cert.Serial)
	if cert.CertType != gossh.UserCert {
		return User{}, fmt.Errorf("%s is a host certificate, not a user certificate", desc)
	}
	ca := st.findCA(cert.SignatureKey)
	if ca == nil {
		return User{}, fmt.Errorf("%s is signed by CA %s, which is not trusted", desc, gossh.FingerprintSHA256(cert.SignatureKey))
	}
	if len(cert.ValidPrincipals) == 0 {
		return User{}, fmt.Errorf("%s has no principals: warroom takes the user name from the first", desc)
	}
	name := ""
	for _, p := range cert.ValidPrincipals {
		if len(ca.principals) == 0 || slices.Contains(ca.principals, p) {
			name = p
			break
		}
	}
	if name == "" {
		return User{}, fmt.Errorf("%s: none of its principals %q is allowed by the CA line (principals=%q)", desc, cert.ValidPrincipals, ca.principals)
	}
	if err := validName(name); err != nil {
		return User{}, fmt.Errorf("%s: %v", desc, err)
	}
	checker := gossh.CertChecker{
		Clock:                    func() time.Time { return now },
		SupportedCriticalOptions: []string{"source-address", CertRoleOption},
	}
	if err := checker.CheckCert(name, cert); err != nil {
		return User{}, fmt.Errorf("%s: %v", desc, err)
	}
	role := room.RoleObserver
	v, ok := cert.CriticalOptions[CertRoleOption]
	if !ok {
		v, ok = cert.Extensions[CertRoleOption]
	}
	if ok {
		r, err := room.ParseRole(v)
		if err != nil {
			return User{}, fmt.Errorf("%s: %s: %v", desc, CertRoleOption, err)
		}
		role = r
	}
	return User{Name: name, Role: role}, nil
}

func (st *rosterState) findCA(key gossh.PublicKey) *trustedCA {
	blob := key.Marshal()
	for i := range st.cas {
		if bytes.Equal(st.cas[i].key.Marshal(), blob) {
			return &st.cas[i]
		}
	}
	return nil
}
