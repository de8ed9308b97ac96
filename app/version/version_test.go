package version

import (
	"runtime/debug"
	"testing"
)

func TestRevisionOfNamesTheCommitAndUncommittedChanges(t *testing.T) {
	info := func(kv ...string) *debug.BuildInfo {
		b := &debug.BuildInfo{}
		for i := 0; i < len(kv); i += 2 {
			b.Settings = append(b.Settings, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return b
	}
	for _, tc := range []struct {
		name string
		info *debug.BuildInfo
		ok   bool
		want string
	}{
		{"no build info", nil, false, ""},
		{"no vcs stamp", info("GOOS", "linux"), true, ""},
		{"clean checkout", info("vcs.revision", "317b208c0a1f2b3c4d5e6f", "vcs.modified", "false"), true, "317b208c0a1f"},
		{"uncommitted changes", info("vcs.revision", "317b208c0a1f2b3c4d5e6f", "vcs.modified", "true"), true, "317b208c0a1f+"},
		{"short revision", info("vcs.revision", "abc"), true, "abc"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := revisionOf(tc.info, tc.ok); got != tc.want {
				t.Errorf("revisionOf = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestStringStartsWithTheVersion(t *testing.T) {
	if s := String(); len(s) < len(Version) || s[:len(Version)] != Version {
		t.Errorf("String() = %q, want it to start with %q", s, Version)
	}
}
