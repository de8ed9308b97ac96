package applog

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLogRotatesAtTheLimitAndKeepsOnePreviousFile(t *testing.T) {
	dir := t.TempDir()
	lf, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	lf.max = 100
	lg := New(lf, nil)
	for i := 0; i < 20; i++ {
		lg.Printf("line %02d", i)
	}
	lf.Close()
	cur, _ := os.ReadFile(filepath.Join(dir, FileName))
	prev, _ := os.ReadFile(filepath.Join(dir, FileName+".1"))
	if len(cur) > 100 || len(prev) > 100 || len(prev) == 0 {
		t.Errorf("sizes: current %d, previous %d", len(cur), len(prev))
	}
	if !strings.Contains(string(cur), "line 19") {
		t.Errorf("last line not in current file: %q", cur)
	}
	if _, err := lf.Write([]byte("x")); err == nil {
		t.Error("write after close accepted")
	}
}

func TestLogDirIsOutsideTheDataFolder(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", "/x/state")
	tests := []struct {
		name     string
		data     string
		portable bool
		want     string
	}{
		{"state dir by default", "/home/u/.local/share/baomi", false, "/x/state/baomi"},
		{"beside the data folder when portable", "/media/usb/baomi-data", true, "/media/usb/baomi-logs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Dir(tt.data, tt.portable)
			if err != nil || got != tt.want {
				t.Errorf("Dir = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
