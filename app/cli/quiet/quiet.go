// Package quiet keeps standard error for the Chinese sentences Baomi
// prints. Imported by the command line, it silences the standard logger
// before any other package's init can write to it (Fyne's lang package
// logged "Fyne error: Error parsing user locale C" from its init under
// LANG=C.UTF-8 until app/fynelocale gave it a locale it can parse), unless
// the environment variable BAOMI_DEBUG asks for technical detail (set to
// anything but "" or "0"). The window's main
// points the standard logger at its log file afterwards.
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
)

// EnvVar names the environment variable that turns on technical detail.
const EnvVar = "BAOMI_DEBUG"

func init() {
	if !Debug() {
		log.SetOutput(io.Discard)
	}
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
