package quiet

import (
	"bytes"
	"testing"
)

func TestCommandLineIsAnyFirstArgumentThatIsNotAWindowFlag(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want bool
	}{
		{"window without arguments", []string{"baomi"}, false},
		{"window with --data", []string{"baomi", "--data", "d"}, false},
		{"verify", []string{"baomi", "verify", "--data", "d"}, true},
		{"a stray word", []string{"baomi", "nonsense"}, true},
		{"help flag", []string{"baomi", "--help"}, true},
		{"short help flag", []string{"baomi", "-h"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := commandLine(tt.args); got != tt.want {
				t.Errorf("commandLine(%q) = %v, want %v", tt.args, got, tt.want)
			}
		})
	}
}

func TestLoggerWritesOnlyWithBaomiDebug(t *testing.T) {
	tests := []struct {
		name, env string
		want      bool
	}{
		{"unset", "", false},
		{"zero", "0", false},
		{"one", "1", true},
		{"yes", "yes", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(EnvVar, tt.env)
			var b bytes.Buffer
			Logger(&b).Printf("anchor BAOMI-ANCHOR: bad envelope")
			if got := b.Len() > 0; got != tt.want {
				t.Errorf("BAOMI_DEBUG=%q: wrote %q, want writing %v", tt.env, b.String(), tt.want)
			}
		})
	}
}
