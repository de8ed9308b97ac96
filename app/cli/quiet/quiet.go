// Package quiet keeps the command line's standard error for the Chinese
// sentences the commands print. Imported by the command line, it silences
// the standard logger before any other package's init can write to it
// (Fyne's lang package logs "Fyne error: Error parsing user locale C" from
// its init under LANG=C). Technical detail appears only when the
// environment variable BAOMI_DEBUG is set (to anything but "" or "0").
//
// The silencing relies on Go's package initialisation order (since Go 1.21
// packages are initialised in import-path order as soon as their own
// imports are): this package imports only the standard library, and
// "baomi/…" sorts before "fyne.io/…", so its init runs first.
package quiet

import (
	"io"
	"log"
	"os"
	"strings"
)

// EnvVar names the environment variable that turns on technical detail.
const EnvVar = "BAOMI_DEBUG"

func init() {
	if commandLine(os.Args) && !Debug() {
		log.SetOutput(io.Discard)
	}
}

// commandLine reports whether args (the process's arguments) run a
// command rather than the window: the window takes flags only, so a first
// argument that is not a flag is a command (or a usage error, which the
// command line reports too). -h and --help print the command line's usage.
func commandLine(args []string) bool {
	if len(args) < 2 {
		return false
	}
	a := args[1]
	return !strings.HasPrefix(a, "-") || a == "-h" || a == "--help"
}

// Debug reports whether BAOMI_DEBUG asks for technical detail.
func Debug() bool {
	v := os.Getenv(EnvVar)
	return v != "" && v != "0"
}

// Logger returns a logger for internal detail: it writes to w when Debug
// is on and discards everything otherwise.
func Logger(w io.Writer) *log.Logger {
	if !Debug() {
		w = io.Discard
	}
	return log.New(w, "baomi: ", log.LstdFlags)
}
