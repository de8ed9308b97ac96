//go:build !linux

package cli

import "os/exec"

// canSupervise: without a way to tie the child's life to its parent, a
// killed parent would leave the command running on, so Main runs it in
// this process.
const canSupervise = false

// dieWithParent is not reached where canSupervise is false.
func dieWithParent(*exec.Cmd) {}
