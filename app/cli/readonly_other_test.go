//go:build !linux

package cli

import "testing"

// readOnlyView skips: making a folder read-only for this process is
// tested on Linux only.
func readOnlyView(t *testing.T, dir string) string {
	t.Skip("read-only folder test runs on Linux")
	return dir
}
