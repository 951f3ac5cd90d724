// Package actions runs failover, failback and rollback against the world:
// HAProxy's runtime API, RFC 2136 DNS updates, a command or an HTTP request.
//
// Every executor plans without I/O (Plan), acts and then reads the result
// back from the world rather than assuming it (Run), and can verify its
// configuration without changing anything (Check). Secrets never appear in
// plans, output or errors: TSIG secrets are never printed at all, and every
// other line passes through the caller's mask.
package actions
