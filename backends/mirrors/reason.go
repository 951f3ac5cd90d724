package mirrors

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/url"
	"strings"
	"syscall"
)

// reason words a request error for the room, in mirrorbits' terms:
// "timeout after 5s", "unreachable: connection refused", "tls: …",
// "redirect loop: …". Shutdown of the caller reads "probe canceled".
func (r *requester) reason(err error) string {
	switch {
	case errors.Is(err, errRedirectLoop):
		return errRedirectLoop.Error()
	case r.parent.Err() != nil:
		return "probe canceled"
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(r.ctx.Err(), context.DeadlineExceeded):
		return "timeout after " + r.timeout.String()
	}
	return shortCause(err)
}

// shortCause reduces a transport error to a few words.
func shortCause(err error) string {
	var (
		dnsErr   *net.DNSError
		unknown  x509.UnknownAuthorityError
		hostErr  x509.HostnameError
		invalid  x509.CertificateInvalidError
		verify   *tls.CertificateVerificationError
		recErr   tls.RecordHeaderError
		netErr   net.Error
		urlErr   *url.Error
		innerErr = err
	)
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return "unreachable: connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "unreachable: connection reset"
	case errors.Is(err, syscall.EHOSTUNREACH):
		return "unreachable: no route to host"
	case errors.Is(err, syscall.ENETUNREACH):
		return "unreachable: network unreachable"
	case errors.As(err, &dnsErr):
		if dnsErr.IsNotFound {
			return "unreachable: no such host " + dnsErr.Name
		}
		return "unreachable: dns: " + dnsErr.Err
	case errors.As(err, &unknown):
		return "tls: certificate signed by unknown authority"
	case errors.As(err, &hostErr):
		return "tls: certificate not valid for " + hostErr.Host
	case errors.As(err, &invalid):
		if invalid.Reason == x509.Expired {
			return "tls: certificate expired or not yet valid"
		}
		return "tls: certificate invalid"
	case errors.As(err, &verify):
		return "tls: certificate verification failed"
	case errors.As(err, &recErr) || strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		return "tls: server answered plain HTTP: use an http:// URL"
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return "unreachable: connection closed before a response"
	case errors.As(err, &netErr) && netErr.Timeout():
		return "unreachable: connect timeout"
	}
	if errors.As(err, &urlErr) {
		innerErr = urlErr.Err
	}
	msg := innerErr.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 && len(msg) > 60 {
		msg = msg[i+2:]
	}
	return "unreachable: " + truncate(msg, 80)
}
