package quiet

import (
	"bytes"
	"testing"
)

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
