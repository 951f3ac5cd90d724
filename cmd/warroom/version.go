package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"strings"
)

// version is set at build time: go build -ldflags "-X main.version=v1.4.0".
// Empty, the module version and VCS stamp of the build are shown instead.
var version string

// cmdVersion prints one line: the version, then the commit, its time and
// the Go release when the build recorded them.
func cmdVersion(args []string, stdout io.Writer) error {
	if len(args) > 0 {
		return usageError(fmt.Sprintf("version: unexpected argument %q", args[0]))
	}
	fmt.Fprintln(stdout, versionLine(version, readBuildInfo()))
	return nil
}

func readBuildInfo() *debug.BuildInfo {
	bi, _ := debug.ReadBuildInfo()
	return bi
}

// versionLine formats "warroom VERSION (commit abc123def456+dirty, TIME, goX)".
func versionLine(v string, bi *debug.BuildInfo) string {
	var extra []string
	if bi != nil {
		if v == "" {
			v = bi.Main.Version
		}
		settings := map[string]string{}
		for _, s := range bi.Settings {
			settings[s.Key] = s.Value
		}
		if rev := settings["vcs.revision"]; rev != "" {
			if len(rev) > 12 {
				rev = rev[:12]
			}
			if settings["vcs.modified"] == "true" {
				rev += "+dirty"
			}
			extra = append(extra, "commit "+rev)
		}
		if t := settings["vcs.time"]; t != "" {
			extra = append(extra, t)
		}
		extra = append(extra, bi.GoVersion)
	}
	if v == "" {
		v = "(devel)"
	}
	line := "warroom " + v
	if len(extra) > 0 {
		line += " (" + strings.Join(extra, ", ") + ")"
	}
	return line
}
