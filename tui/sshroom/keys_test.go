package sshroom

import (
	"crypto/ed25519"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// newKey makes an ed25519 key and its authorized_keys line (no comment).
func newKey(t *testing.T) (gossh.Signer, string) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return signer, strings.TrimSpace(string(gossh.MarshalAuthorizedKey(signer.PublicKey())))
}

type certSpec struct {
	principals  []string
	critical    map[string]string
	extensions  map[string]string
	validAfter  time.Time
	validBefore time.Time
	certType    uint32
}

// newCert signs user's key with ca and returns a signer presenting the cert.
func newCert(t *testing.T, ca, user gossh.Signer, spec certSpec) (gossh.Signer, *gossh.Certificate) {
	t.Helper()
	if spec.certType == 0 {
		spec.certType = gossh.UserCert
	}
	if spec.validAfter.IsZero() {
		spec.validAfter = time.Now().Add(-time.Hour)
	}
	if spec.validBefore.IsZero() {
		spec.validBefore = time.Now().Add(time.Hour)
	}
	cert := &gossh.Certificate{
		Key:             user.PublicKey(),
		Serial:          7,
		CertType:        spec.certType,
		KeyId:           "test-cert",
		ValidPrincipals: spec.principals,
		ValidAfter:      uint64(spec.validAfter.Unix()),
		ValidBefore:     uint64(spec.validBefore.Unix()),
		Permissions:     gossh.Permissions{CriticalOptions: spec.critical, Extensions: spec.extensions},
	}
	if err := cert.SignCert(rand.Reader, ca); err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.NewCertSigner(cert, user)
	if err != nil {
		t.Fatal(err)
	}
	return signer, cert
}

func writeLines(t *testing.T, path string, lines ...string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}

func tempFile(t *testing.T, name string, lines ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	writeLines(t, path, lines...)
	return path
}
