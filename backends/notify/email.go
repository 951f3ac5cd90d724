package notify

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"net"
	netmail "net/mail"
	"net/textproto"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/wneessen/go-mail"

	"warroom/backends/config"
)

// Headers that let a mail filter (or a person) tie a message to its alert
// group and pager incident.
const (
	HeaderAlertGroup = "X-Warroom-Alert-Group"
	HeaderDedupKey   = "X-Warroom-Dedup-Key"
)

// email sends posts as mail over SMTP submission. STARTTLS is required
// unless tls: says otherwise; tls: none is for a relay on this machine.
type email struct {
	cfg     config.Channel
	host    string
	port    int
	to      []string
	tls     *tls.Config // nil for tls: none
	timeout time.Duration
	clock   clockwork.Clock
	target  string
}

func newEmail(c config.Channel, opts Options, where string) (*email, error) {
	m := c.Mail
	host, p, err := net.SplitHostPort(m.SMTP)
	port, perr := strconv.Atoi(p)
	if err != nil || perr != nil || host == "" || port < 1 || port > 65535 {
		return nil, fmt.Errorf("%s: smtp %q is not host:port; e.g. smtp: smtp.example.com:587", where, m.SMTP)
	}
	e := &email{cfg: c, host: host, port: port, timeout: c.Timeout, clock: opts.Clock}
	if e.timeout <= 0 {
		e.timeout = DefaultTimeout
	}
	if e.clock == nil {
		e.clock = clockwork.NewRealClock()
	}
	if _, err := netmail.ParseAddress(m.From); err != nil {
		return nil, fmt.Errorf("%s: from %q is not an email address", where, m.From)
	}
	for _, a := range m.To {
		if _, err := netmail.ParseAddress(a); err != nil {
			return nil, fmt.Errorf("%s: to %q is not an email address", where, a)
		}
		e.to = append(e.to, a)
	}
	if len(e.to) == 0 {
		return nil, fmt.Errorf("%s: no to:; list who receives the mail", where)
	}
	switch m.TLS {
	case config.MailSTARTTLS, config.MailTLS, "":
		if e.tls, err = tlsFor(host, m.CAFile); err != nil {
			return nil, fmt.Errorf("%s: %v", where, err)
		}
	case config.MailPlain:
		if !config.LoopbackHost(host) {
			return nil, fmt.Errorf("%s: tls: none would send mail and credentials in clear to %s; it is only for a relay on this machine", where, host)
		}
	default:
		return nil, fmt.Errorf("%s: tls %q is not one of starttls, tls, none", where, m.TLS)
	}
	e.target = "smtp://" + net.JoinHostPort(host, p) + " → " + strings.Join(e.to, ", ")
	return e, nil
}

// tlsFor verifies the server as host, against the system roots or the CA
// in caFile.
func tlsFor(host, caFile string) (*tls.Config, error) {
	conf := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	if caFile == "" {
		return conf, nil
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, fmt.Errorf("ca_file: %v", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("ca_file %s holds no PEM certificate", caFile)
	}
	conf.RootCAs = pool
	return conf, nil
}

func (e *email) Name() string   { return e.cfg.Name }
func (e *email) Kind() string   { return e.cfg.Kind }
func (e *email) Target() string { return e.target }

// MessageID is the Message-ID a post gets on this channel: the same for a
// resend after a crash, so the receiving side can tell it is one message.
func (e *email) MessageID(postID string) string {
	sum := sha256.Sum256([]byte(e.cfg.Name + "\x00" + postID))
	domain := "warroom.invalid"
	if a, err := netmail.ParseAddress(e.cfg.Mail.From); err == nil {
		if _, d, ok := strings.Cut(a.Address, "@"); ok && d != "" {
			domain = d
		}
	}
	return "warroom." + hex.EncodeToString(sum[:12]) + "@" + domain
}

func (e *email) message(p Post) (*mail.Msg, error) {
	title, text := p.shown()
	m := mail.NewMsg(mail.WithNoDefaultUserAgent())
	if err := m.From(e.cfg.Mail.From); err != nil {
		return nil, fmt.Errorf("from: %v", err)
	}
	if err := m.To(e.to...); err != nil {
		return nil, fmt.Errorf("to: %v", err)
	}
	m.Subject(oneLine(title))
	m.SetMessageIDWithValue(e.MessageID(p.ID))
	m.SetDateWithValue(e.clock.Now())
	m.SetGenHeader(mail.Header("X-Mailer"), "warroom")
	if p.Page != nil {
		m.SetGenHeader(mail.Header(HeaderAlertGroup), oneLine(p.Page.Group))
		m.SetGenHeader(mail.Header(HeaderDedupKey), oneLine(p.Page.DedupKey))
	}
	body := plainBody(text)
	m.SetBodyString(mail.TypeTextPlain, body)
	m.AddAlternativeString(mail.TypeTextHTML, htmlMail(title, body))
	return m, nil
}

// oneLine keeps a header value on one line: a newline would start a new
// header.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// htmlMail is the plain body as simple HTML: a heading, a paragraph per
// blank-line block, its lines kept.
func htmlMail(title, body string) string {
	var b strings.Builder
	b.WriteString("<html><body>\n<h3>" + html.EscapeString(title) + "</h3>\n")
	for _, para := range strings.Split(body, "\n\n") {
		if para = strings.TrimSpace(para); para != "" {
			b.WriteString("<p>" + strings.ReplaceAll(html.EscapeString(para), "\n", "<br>\n") + "</p>\n")
		}
	}
	b.WriteString("</body></html>\n")
	return b.String()
}

// Payload is the message as it would be sent (RFC 5322 text); the MIME
// boundary differs from send to send.
func (e *email) Payload(p Post) ([]byte, error) {
	m, err := e.message(p)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (e *email) Warnings(p Post) []string {
	if _, err := e.message(p); err != nil {
		return []string{err.Error()}
	}
	return emptyWarning(p)
}

func (e *email) Send(ctx context.Context, p Post) error {
	m, err := e.message(p)
	if err != nil {
		return localError(e.cfg.Name, e.cfg.Kind, "%v", err)
	}
	opts := []mail.Option{mail.WithPort(e.port), mail.WithTimeout(e.timeout)}
	switch {
	case e.tls == nil:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	case e.cfg.Mail.TLS == config.MailTLS:
		opts = append(opts, mail.WithSSL(), mail.WithTLSConfig(e.tls))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory), mail.WithTLSConfig(e.tls))
	}
	if u := e.cfg.Mail.Username; u != "" {
		auth := mail.SMTPAuthAutoDiscover
		if e.tls == nil {
			auth = mail.SMTPAuthPlainNoEnc // loopback only, as newEmail insists
		}
		opts = append(opts, mail.WithSMTPAuth(auth), mail.WithUsername(u), mail.WithPassword(e.cfg.Mail.Password))
	}
	client, err := mail.NewClient(e.host, opts...)
	if err != nil {
		return localError(e.cfg.Name, e.cfg.Kind, "%v", err)
	}
	if err := client.DialAndSendWithContext(ctx, m); err != nil {
		return e.failure(err)
	}
	return nil
}

// failure classifies an SMTP failure: 4xx may pass later, 5xx will not; a
// certificate the channel does not trust, or a server without STARTTLS,
// needs the config changed; other failures to talk (refused, timed out,
// dropped) are retried.
func (e *email) failure(err error) *Error {
	out := &Error{Channel: e.cfg.Name, Kind: e.cfg.Kind, Text: fmt.Sprintf("send to %s: %v", e.target, err)}
	if code := smtpCode(err); code >= 400 {
		out.Code = strconv.Itoa(code)
		out.Retryable = code < 500
		return out
	}
	var unknown x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	switch {
	case errors.As(err, &unknown), errors.As(err, &hostname), errors.As(err, &invalid), errors.As(err, &verify):
		out.Text += "; the server's certificate is not trusted: set ca_file to its CA, or fix the smtp host name"
	case strings.Contains(err.Error(), "does not support STARTTLS"):
		out.Text += "; the server offers no STARTTLS and mail is never sent in clear: use tls: tls if it speaks implicit TLS"
	default:
		out.Retryable = true
	}
	return out
}

// smtpCode is the SMTP reply code an error carries, 0 if none.
func smtpCode(err error) int {
	var se *mail.SendError
	if errors.As(err, &se) && se.ErrorCode() > 0 {
		return se.ErrorCode()
	}
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code
	}
	return 0
}
