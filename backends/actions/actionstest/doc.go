// Package actionstest starts real HAProxy and BIND 9 (named) servers on
// loopback for integration tests, with configs written into the test's
// temporary directory. A missing binary fails the test: CI must install
// them (apt-get install -y haproxy bind9).
package actionstest
