package sshroom

import (
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// extVerifiedKey is set on the connection's permissions once the client has
// proved it holds the key (VerifiedPublicKeyCallback): identity is taken from
// that key only (CVE-2024-45337: the offer callback also sees keys the
// client never proved it holds).
const extVerifiedKey = "warroom-verified-key"

// connKey finds a connection's trackedConn from its ssh.Context.
type connKey struct{}

// trackedConn closes a connection that has not authenticated within the
// handshake timeout, lets Close reach connections still handshaking, and
// counts the connection's failed authentications.
type trackedConn struct {
	net.Conn
	srv      *Server
	ctx      ssh.Context
	timer    atomic.Pointer[time.Timer]
	start    time.Time
	failures atomic.Int32
	once     sync.Once
}

// authenticated says whether the handshake has completed; the library stores
// the connection in its context then.
func (c *trackedConn) authenticated() bool { return c.ctx.Value(ssh.ContextKeyConn) != nil }

// Close charges the failures of a connection that never authenticated to its
// IP: a user whose agent offers a few other keys before the right one is not
// charged, so a team behind one NAT address does not lock itself out.
func (c *trackedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		if t := c.timer.Load(); t != nil {
			t.Stop()
		}
		c.srv.mu.Lock()
		delete(c.srv.conns, c)
		c.srv.mu.Unlock()
		addr := c.RemoteAddr().String()
		took := c.srv.opts.Now().Sub(c.start).Round(time.Millisecond)
		if n := int(c.failures.Load()); n > 0 && !c.authenticated() {
			total := c.srv.limiter.fail(hostOf(addr), n)
			c.srv.opts.Logf("ssh: conn %s: closed after %s without authenticating, %d failures (%d/%d this minute from %s)",
				addr, took, n, total, c.srv.opts.AuthRatePerMinute, hostOf(addr))
			return
		}
		c.srv.opts.Logf("ssh: conn %s: closed after %s", addr, took)
	})
	return err
}

// failed counts a refused authentication on the connection of ctx.
func failed(ctx ssh.Context) {
	if tc, ok := ctx.Value(connKey{}).(*trackedConn); ok {
		tc.failures.Add(1)
	}
}

// wrapConn runs for every accepted TCP connection, before the SSH handshake.
func (s *Server) wrapConn(ctx ssh.Context, c net.Conn) net.Conn {
	addr := c.RemoteAddr().String()
	if s.closing.Load() {
		s.opts.Logf("ssh: conn %s: refused, shutting down", addr)
		return nil
	}
	if s.limiter.blocked(hostOf(addr)) {
		s.opts.Logf("ssh: conn %s: refused, %d or more failed authentications from %s in the last minute", addr, s.opts.AuthRatePerMinute, hostOf(addr))
		return nil
	}
	s.opts.Logf("ssh: conn %s: accepted", addr)
	tc := &trackedConn{Conn: c, srv: s, ctx: ctx, start: s.opts.Now()}
	ctx.SetValue(connKey{}, tc)
	s.mu.Lock()
	s.conns[tc] = struct{}{}
	s.mu.Unlock()
	hs := s.opts.HandshakeTimeout
	tc.timer.Store(time.AfterFunc(hs, func() {
		if !tc.authenticated() {
			s.opts.Logf("ssh: conn %s: no completed SSH handshake within %s, closing", addr, hs)
			_ = tc.Close()
		}
	}))
	return tc
}

// serverConfig is the per-connection x/crypto config; wish adds the host key
// and the public key callback. Password and keyboard-interactive are unset,
// so they are never offered.
func (s *Server) serverConfig(ctx ssh.Context) *gossh.ServerConfig {
	return &gossh.ServerConfig{
		MaxAuthTries: 6,
		AuthLogCallback: func(conn gossh.ConnMetadata, method string, err error) {
			s.authLog(ctx, conn, method, err)
		},
		VerifiedPublicKeyCallback: s.verifiedKey,
	}
}

// publicKeyAuth is asked about every key the client offers. It only says
// whether the key would do; the client has not yet proved it holds it.
func (s *Server) publicKeyAuth(ctx ssh.Context, key ssh.PublicKey) bool {
	addr := ctx.RemoteAddr().String()
	ip := hostOf(addr)
	desc := keyDesc(key)
	if s.limiter.blocked(ip) {
		s.opts.Logf("ssh: auth %s user %q key %s: refused, too many failed authentications from %s", addr, ctx.User(), desc, ip)
		return false
	}
	u, err := s.opts.Roster.Identify(key)
	if err != nil {
		failed(ctx)
		s.opts.Logf("ssh: auth %s user %q key %s: refused: %v", addr, ctx.User(), desc, err)
		return false
	}
	if cert, ok := key.(*gossh.Certificate); ok {
		// x/crypto enforces source-address from the permissions.
		ctx.Permissions().CriticalOptions = maps.Clone(cert.CriticalOptions)
	}
	s.opts.Logf("ssh: auth %s user %q key %s: offered, in roster as %s (%s)", addr, ctx.User(), desc, u.Name, u.Role)
	return true
}

// verifiedKey runs once the client has signed with key: the only key
// identity may come from.
func (s *Server) verifiedKey(conn gossh.ConnMetadata, key gossh.PublicKey, perms *gossh.Permissions, alg string) (*gossh.Permissions, error) {
	if perms == nil {
		perms = &gossh.Permissions{}
	}
	perms.Extensions = maps.Clone(perms.Extensions)
	if perms.Extensions == nil {
		perms.Extensions = map[string]string{}
	}
	perms.Extensions[extVerifiedKey] = base64.StdEncoding.EncodeToString(key.Marshal())
	s.opts.Logf("ssh: auth %s user %q key %s: authenticated (%s)", conn.RemoteAddr(), conn.User(), keyDesc(key), alg)
	return perms, nil
}

// authLog sees the outcome of every method; public keys are logged above
// with their fingerprint, so this logs (and counts) the refused methods.
func (s *Server) authLog(ctx ssh.Context, conn gossh.ConnMetadata, method string, err error) {
	if err == nil || method == "none" || method == "publickey" {
		return
	}
	failed(ctx)
	s.opts.Logf("ssh: auth %s user %q method %s: refused, public keys only", conn.RemoteAddr(), conn.User(), method)
}

func (s *Server) connFailed(c net.Conn, err error) {
	s.opts.Logf("ssh: conn %s: handshake failed: %v", c.RemoteAddr(), err)
}

// identify decides who a session belongs to from the verified key.
func (s *Server) identify(sess ssh.Session) (User, string, error) {
	key := sess.PublicKey()
	if key == nil {
		return User{}, "", errors.New("no public key on this connection")
	}
	verified := sess.Permissions().Extensions[extVerifiedKey]
	if verified == "" || verified != base64.StdEncoding.EncodeToString(key.Marshal()) {
		return User{}, "", fmt.Errorf("key %s is not the one the client proved it holds", keyDesc(key))
	}
	u, err := s.opts.Roster.Identify(key)
	if err != nil {
		return User{}, "", err
	}
	return u, fingerprint(key), nil
}

// fingerprint of the key itself; for a certificate, of the certified key.
func fingerprint(key gossh.PublicKey) string {
	if cert, ok := key.(*gossh.Certificate); ok {
		return gossh.FingerprintSHA256(cert.Key)
	}
	return gossh.FingerprintSHA256(key)
}

// keyDesc is a key for the log: type and fingerprint, and for a certificate
// its id, serial and CA.
func keyDesc(key gossh.PublicKey) string {
	if cert, ok := key.(*gossh.Certificate); ok {
		return fmt.Sprintf("%s %s cert %q serial %d by CA %s", cert.Key.Type(), gossh.FingerprintSHA256(cert.Key),
			cert.KeyId, cert.Serial, gossh.FingerprintSHA256(cert.SignatureKey))
	}
	return key.Type() + " " + gossh.FingerprintSHA256(key)
}

func hostOf(addr string) string {
	if h, _, err := net.SplitHostPort(addr); err == nil {
		return h
	}
	return addr
}
