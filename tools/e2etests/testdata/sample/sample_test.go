package sample

import (
	"testing"

	gossh "golang.org/x/crypto/ssh"

	at "warroom/backends/actions/actionstest"
)

func buildBinary(t *testing.T) string { return "" }

func startRoom(t *testing.T) { _ = buildBinary(t) }

type harness struct{}

func (harness) dial() { _, _ = gossh.Dial("tcp", "", nil) }

func TestThroughAHelper(t *testing.T) { startRoom(t) }

func TestHelperAsAValue(t *testing.T) { run := startRoom; run(t) }

func TestAliasedImport(t *testing.T) { at.StartHAProxy(t, "", nil) }

func TestSSHThroughAMethod(t *testing.T) { var h harness; h.dial() }

func TestUnit(t *testing.T) { _ = "buildBinary" }
