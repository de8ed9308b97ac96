package cli

import (
	"os/exec"
	"syscall"
)

// canSupervise: Linux kills the child when its parent dies, so that a
// killed `baomi` never leaves its command running on.
const canSupervise = true

// dieWithParent makes the system kill cmd's process when the thread that
// starts it ends.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
