package notify

import (
	"net"
	"strings"
	"testing"
	"time"

	"warroom/backends/config"
	"warroom/backends/notify/notifytest"
)

const mailPass = "s3cret-mail-pass"

func mailChannel(t *testing.T, s *notifytest.SMTPServer, tls string, mod func(*config.Mail)) Channel {
	t.Helper()
	m := config.Mail{SMTP: s.Addr, TLS: tls, Username: "warroom", Password: mailPass, From: "Warroom <warroom@example.org>",
		To: []string{"oncall@example.org", "ana@example.org"}, CAFile: s.CAFile}
	if mod != nil {
		mod(&m)
	}
	return newChannel(t, config.Channel{Name: "oncall-mail", Kind: config.ChannelEmail, Mail: m, Timeout: 5 * time.Second}, nil)
}

func TestEmailOverSTARTTLSWithAuth(t *testing.T) {
	s := notifytest.StartSMTP(t, notifytest.SMTPOptions{Username: "warroom", Password: mailPass})
	ch := mailChannel(t, s, config.MailSTARTTLS, nil)
	p := pagePost(PageTrigger)
	p.Title = "[FIRING 2] 演示: tokyo down"
	for range 2 { // a resend after a crash carries the same Message-ID
		if err := ch.Send(testCtx(t), p); err != nil {
			t.Fatal(err)
		}
	}
	ms := s.Mails()
	if len(ms) != 2 {
		t.Fatalf("%d mails, want 2", len(ms))
	}
	m := ms[0]
	if !m.TLS || m.AuthUser != "warroom" || m.From != "warroom@example.org" || strings.Join(m.To, ",") != "oncall@example.org,ana@example.org" {
		t.Errorf("envelope: tls %v auth %q from %q to %v", m.TLS, m.AuthUser, m.From, m.To)
	}
	if m.Subject() != "[FIRING 2] 演示: tokyo down" {
		t.Errorf("subject %q", m.Subject())
	}
	id := m.Header.Get("Message-ID")
	if !strings.HasPrefix(id, "<warroom.") || !strings.HasSuffix(id, "@example.org>") || ms[1].Header.Get("Message-ID") != id {
		t.Errorf("Message-IDs %q and %q: want one stable id", id, ms[1].Header.Get("Message-ID"))
	}
	other := p
	other.ID = "p8"
	if err := ch.Send(testCtx(t), other); err != nil {
		t.Fatal(err)
	}
	if got := s.Mails()[2].Header.Get("Message-ID"); got == id {
		t.Errorf("another post has the same Message-ID %q", got)
	}
	if m.Header.Get(HeaderDedupKey) != "3f2a9c0d1e4b5a67-2" || m.Header.Get(HeaderAlertGroup) != "critical" {
		t.Errorf("alert headers: dedup %q group %q", m.Header.Get(HeaderDedupKey), m.Header.Get(HeaderAlertGroup))
	}
	text, err := m.Part("text/plain")
	if err != nil || !strings.Contains(text, "osaka lagging 2h") {
		t.Errorf("text/plain part %q (%v)", text, err)
	}
	if h, err := m.Part("text/html"); err != nil || !strings.Contains(h, "<h3>[FIRING 2] 演示: tokyo down</h3>") {
		t.Errorf("text/html part %q (%v)", h, err)
	}
	if tg := ch.Target(); tg != "smtp://"+s.Addr+" → oncall@example.org, ana@example.org" || strings.Contains(tg, mailPass) {
		t.Errorf("Target %q", tg)
	}
	// The preview is the message as sent.
	raw, err := ch.Payload(p)
	if err != nil || !strings.Contains(string(raw), "Message-ID: "+id) || !strings.Contains(string(raw), "X-Warroom-Dedup-Key: 3f2a9c0d1e4b5a67-2") {
		t.Errorf("Payload:\n%s (%v)", raw, err)
	}
}

func TestEmailImplicitTLSAndAnnouncements(t *testing.T) {
	s := notifytest.StartSMTP(t, notifytest.SMTPOptions{TLS: notifytest.SMTPTLS})
	ch := mailChannel(t, s, config.MailTLS, func(m *config.Mail) { m.Username, m.Password = "", "" })
	if err := ch.Send(testCtx(t), samplePost); err != nil {
		t.Fatal(err)
	}
	m := s.Mails()[0]
	if !m.TLS || m.AuthUser != "" || m.Header.Get(HeaderDedupKey) != "" || m.Subject() != samplePost.Title {
		t.Errorf("tls %v auth %q dedup %q subject %q", m.TLS, m.AuthUser, m.Header.Get(HeaderDedupKey), m.Subject())
	}
}

func TestEmailErrorClasses(t *testing.T) {
	s := notifytest.StartSMTP(t, notifytest.SMTPOptions{Username: "warroom", Password: mailPass})

	wrong := mailChannel(t, s, config.MailSTARTTLS, func(m *config.Mail) { m.Password = "wrong-password-here" })
	e := mustErr(t, wrong.Send(testCtx(t), samplePost))
	if e.Retryable || e.Code != "535" || strings.Contains(e.Error(), "wrong-password-here") {
		t.Errorf("bad password: %v (retryable %v)", e, e.Retryable)
	}

	ch := mailChannel(t, s, config.MailSTARTTLS, nil)
	s.Refuse(451, "try again later")
	e = mustErr(t, ch.Send(testCtx(t), samplePost))
	if !e.Retryable || e.Code != "451" {
		t.Errorf("451: %v (retryable %v)", e, e.Retryable)
	}
	s.Refuse(550, "mailbox unavailable")
	e = mustErr(t, ch.Send(testCtx(t), samplePost))
	if e.Retryable || e.Code != "550" || !strings.Contains(e.Error(), "mailbox unavailable") {
		t.Errorf("550: %v (retryable %v)", e, e.Retryable)
	}

	// Without the CA the certificate is not trusted: a config problem.
	untrusted := mailChannel(t, s, config.MailSTARTTLS, func(m *config.Mail) { m.CAFile = "" })
	e = mustErr(t, untrusted.Send(testCtx(t), samplePost))
	if e.Retryable || !strings.Contains(e.Error(), "set ca_file") {
		t.Errorf("untrusted certificate: %v (retryable %v)", e, e.Retryable)
	}
	if len(s.Mails()) != 0 {
		t.Errorf("%d mails accepted, want none", len(s.Mails()))
	}

	// Nobody listening: retried.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	gone := mailChannel(t, s, config.MailSTARTTLS, func(m *config.Mail) { m.SMTP = addr })
	e = mustErr(t, gone.Send(testCtx(t), samplePost))
	if !e.Retryable || !strings.Contains(e.Error(), "smtp://"+addr) {
		t.Errorf("connection refused: %v (retryable %v)", e, e.Retryable)
	}
}

// A server without STARTTLS gets nothing: mail is never sent in clear
// unless tls: none says so, and that only on loopback.
func TestEmailRequiresSTARTTLS(t *testing.T) {
	plain := notifytest.StartSMTP(t, notifytest.SMTPOptions{TLS: notifytest.SMTPPlain, Username: "warroom", Password: mailPass})
	ch := mailChannel(t, plain, config.MailSTARTTLS, nil)
	e := mustErr(t, ch.Send(testCtx(t), samplePost))
	if e.Retryable || !strings.Contains(e.Error(), "never sent in clear") || len(plain.Mails()) != 0 {
		t.Errorf("no STARTTLS: %v (retryable %v), %d mails", e, e.Retryable, len(plain.Mails()))
	}
	relay := mailChannel(t, plain, config.MailPlain, func(m *config.Mail) { m.CAFile = "" })
	if err := relay.Send(testCtx(t), samplePost); err != nil {
		t.Fatalf("tls none to a loopback relay: %v", err)
	}
	if m := plain.Mails()[0]; m.TLS || m.AuthUser != "warroom" {
		t.Errorf("relay mail: tls %v auth %q", m.TLS, m.AuthUser)
	}
	_, err := New(config.Channel{Name: "m", Kind: config.ChannelEmail, Mail: config.Mail{SMTP: "smtp.example.org:25", TLS: config.MailPlain,
		From: "a@example.org", To: []string{"b@example.org"}}}, Options{})
	if err == nil || !strings.Contains(err.Error(), "in clear") {
		t.Errorf("tls none off loopback: %v", err)
	}
}
