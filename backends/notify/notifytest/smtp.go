package notifytest

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"net"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// SMTP transport security of the stand-in, as the email channel's tls:.
const (
	SMTPStartTLS = "starttls"
	SMTPTLS      = "tls"
	SMTPPlain    = "none"
)

// SMTPOptions configure the mail stand-in.
type SMTPOptions struct {
	TLS      string // starttls (default) | tls | none
	Username string // AUTH PLAIN required when set
	Password string
}

// Mail is one message the stand-in accepted.
type Mail struct {
	From     string // MAIL FROM
	To       []string
	AuthUser string // who authenticated, "" without AUTH
	TLS      bool   // the message came over TLS
	Header   netmail.Header
	Raw      []byte
}

// Subject is the decoded Subject header.
func (m Mail) Subject() string {
	s, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		return m.Header.Get("Subject")
	}
	return s
}

// Part is the decoded body part of the media type (text/plain,
// text/html), found in a multipart message or as the whole body.
func (m Mail) Part(mediaType string) (string, error) {
	msg, err := netmail.ReadMessage(bytes.NewReader(m.Raw))
	if err != nil {
		return "", err
	}
	ct, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		return "", err
	}
	if !strings.HasPrefix(ct, "multipart/") {
		if ct != mediaType {
			return "", fmt.Errorf("message is %s, not %s", ct, mediaType)
		}
		b, err := io.ReadAll(msg.Body)
		return string(b), err
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart() // decodes quoted-printable
		if err != nil {
			return "", fmt.Errorf("no %s part: %w", mediaType, err)
		}
		if pt, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type")); pt == mediaType {
			b, err := io.ReadAll(p)
			return string(b), err
		}
	}
}

// SMTPServer is a mail server on 127.0.0.1 that records what it accepts.
// Its certificate is self-signed; CAFile holds it for the channel's ca_file.
type SMTPServer struct {
	Addr   string // 127.0.0.1:port
	CAFile string // PEM of the self-signed certificate ("" with tls none)

	srv  *smtp.Server
	opts SMTPOptions

	mu      sync.Mutex
	mails   []Mail
	refuse  []*smtp.SMTPError
	changed chan struct{}
}

// StartSMTP starts a mail stand-in, closed with t.
func StartSMTP(t testing.TB, o SMTPOptions) *SMTPServer {
	t.Helper()
	s := &SMTPServer{opts: o, changed: make(chan struct{})}
	if o.TLS == "" {
		s.opts.TLS = SMTPStartTLS
	}
	srv := smtp.NewServer(smtp.BackendFunc(s.newSession))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 30*time.Second, 30*time.Second
	srv.MaxMessageBytes = 10 << 20
	srv.ErrorLog = discardLog{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtp stand-in: %v", err)
	}
	if s.opts.TLS != SMTPPlain {
		conf, pemFile, err := selfSigned(t.TempDir())
		if err != nil {
			_ = ln.Close()
			t.Fatalf("smtp stand-in: %v", err)
		}
		s.CAFile = pemFile
		srv.TLSConfig = conf
		if s.opts.TLS == SMTPTLS {
			ln = tls.NewListener(ln, conf)
		}
	} else {
		srv.AllowInsecureAuth = true // loopback only
	}
	s.srv, s.Addr = srv, ln.Addr().String()
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
	t.Cleanup(func() {
		_ = srv.Close()
		<-done
	})
	return s
}

// Refuse makes the next messages' MAIL FROM fail with code (421, 451,
// 550, …) and msg, in order.
func (s *SMTPServer) Refuse(code int, msg string) {
	s.mu.Lock()
	s.refuse = append(s.refuse, &smtp.SMTPError{Code: code, EnhancedCode: smtp.NoEnhancedCode, Message: msg})
	s.mu.Unlock()
}

// Mails returns the accepted messages, oldest first.
func (s *SMTPServer) Mails() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.mails...)
}

// Wait returns once n messages were accepted in all, or ctx ends.
func (s *SMTPServer) Wait(ctx context.Context, n int) error {
	return waitCount(ctx, &s.mu, func() (int, chan struct{}) { return len(s.mails), s.changed },
		n, "smtp stand-in: %d messages, waited for %d: %w")
}

func (s *SMTPServer) newSession(c *smtp.Conn) (smtp.Session, error) {
	_, isTLS := c.TLSConnectionState()
	return &smtpSession{s: s, conn: c, tls: isTLS}, nil
}

// smtpSession is one connection's conversation.
type smtpSession struct {
	s    *SMTPServer
	conn *smtp.Conn
	tls  bool
	user string
	from string
	to   []string
}

func (x *smtpSession) AuthMechanisms() []string {
	if x.s.opts.Username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (x *smtpSession) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, user, pass string) error {
		if user != x.s.opts.Username || pass != x.s.opts.Password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Authentication credentials invalid"}
		}
		x.user = user
		return nil
	}), nil
}

func (x *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	if x.s.opts.Username != "" && x.user == "" {
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}
	}
	x.s.mu.Lock()
	var refuse *smtp.SMTPError
	if len(x.s.refuse) > 0 {
		refuse, x.s.refuse = x.s.refuse[0], x.s.refuse[1:]
	}
	x.s.mu.Unlock()
	if refuse != nil {
		return refuse
	}
	x.from = from
	return nil
}

func (x *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.to = append(x.to, to)
	return nil
}

func (x *smtpSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "message unreadable: " + err.Error()}
	}
	_, isTLS := x.conn.TLSConnectionState()
	m := Mail{From: x.from, To: append([]string(nil), x.to...), AuthUser: x.user, TLS: isTLS || x.tls, Header: msg.Header, Raw: raw}
	x.s.mu.Lock()
	x.s.mails = append(x.s.mails, m)
	close(x.s.changed)
	x.s.changed = make(chan struct{})
	x.s.mu.Unlock()
	return nil
}

func (x *smtpSession) Reset()        { x.from, x.to = "", nil }
func (x *smtpSession) Logout() error { return nil }

// selfSigned makes a certificate for 127.0.0.1 and localhost, its own CA,
// and writes it as PEM in dir.
func selfSigned(dir string) (*tls.Config, string, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, "", err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "warroom test smtp"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, "", err
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, "", err
	}
	pair, err := tls.X509KeyPair(certPEM, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}))
	if err != nil {
		return nil, "", err
	}
	file := filepath.Join(dir, "smtp-ca.pem")
	if err := os.WriteFile(file, certPEM, 0o600); err != nil {
		return nil, "", err
	}
	return &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}, file, nil
}

// discardLog keeps the server's connection errors (a client that gave up)
// out of test output.
type discardLog struct{}

func (discardLog) Printf(string, ...any) {}
func (discardLog) Println(...any)        {}
