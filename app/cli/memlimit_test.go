package cli

import (
	"math"
	"runtime/debug"
	"testing"
)

func TestImportSetsItsMemoryLimitOnlyWhenNoneIsSetAndPutsItBack(t *testing.T) {
	for _, tc := range []struct {
		name       string
		gomemlimit string
		want       int64
	}{
		{"no limit", "", importMemoryLimit},
		{"GOMEMLIMIT off", "off", math.MaxInt64},
		{"GOMEMLIMIT set", "1GiB", math.MaxInt64},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("GOMEMLIMIT", tc.gomemlimit)
			before := debug.SetMemoryLimit(-1)
			if before != math.MaxInt64 {
				t.Skipf("the test binary runs with a memory limit of %d", before)
			}
			restore := limitMemory()
			if got := debug.SetMemoryLimit(-1); got != tc.want {
				t.Errorf("limit during the import = %d, want %d", got, tc.want)
			}
			restore()
			if got := debug.SetMemoryLimit(-1); got != before {
				t.Errorf("limit after the import = %d, want %d", got, before)
			}
		})
	}
}
