// Package version holds Baomi's version: the one place the command line
// (`baomi version`), the log and the window's 关于 read it from.
package version

import (
	"runtime/debug"
	"sync"
)

// Version is Baomi's release number. A build script may set it with
// -ldflags "-X baomi/app/version.Version=…"; FyneApp.toml carries the same
// number for packaging.
var Version = "0.1.0"

var revision = sync.OnceValue(func() string { return revisionOf(debug.ReadBuildInfo()) })

// revisionOf returns the first 12 hex digits of the commit a binary was
// built from, with "+" when the work tree had uncommitted changes, or ""
// when the build carries no version control stamp (go test, -buildvcs=false).
func revisionOf(info *debug.BuildInfo, ok bool) string {
	if !ok || info == nil {
		return ""
	}
	var rev string
	var modified bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev == "" {
		return ""
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if modified {
		rev += "+"
	}
	return rev
}

// String returns Version and, when the binary carries it, the commit it
// was built from: "0.1.0 (3f2a9c1d0b7e)".
func String() string {
	if r := revision(); r != "" {
		return Version + " (" + r + ")"
	}
	return Version
}
