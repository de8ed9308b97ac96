// Package applog keeps Baomi's internal log: errors and events with their
// technical detail, never record contents. The log lives outside the data
// folder (so that, for example, a wrong password changes no byte there) and
// is rotated at a size limit so that it never fills a disk.
package applog

import (
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"sync"
)

// FileName is the log file's name; the previous one is FileName + ".1".
const FileName = "baomi.log"

// MaxSize is the size at which the log is rotated.
const MaxSize = 2 << 20

// Dir returns the folder for the log: beside the data folder in portable
// mode, else the OS's per-user state folder ($XDG_STATE_HOME/baomi or
// ~/.local/state/baomi on Linux, %LOCALAPPDATA%\Baomi\logs on Windows).
func Dir(dataDir string, portable bool) (string, error) {
	if portable {
		return filepath.Join(filepath.Dir(dataDir), "baomi-logs"), nil
	}
	switch runtime.GOOS {
	case "windows":
		if d := os.Getenv("LOCALAPPDATA"); d != "" {
			return filepath.Join(d, "Baomi", "logs"), nil
		}
	case "darwin":
		if h, err := os.UserHomeDir(); err == nil {
			return filepath.Join(h, "Library", "Logs", "Baomi"), nil
		}
	default:
		if d := os.Getenv("XDG_STATE_HOME"); d != "" && filepath.IsAbs(d) {
			return filepath.Join(d, "baomi"), nil
		}
		if h, err := os.UserHomeDir(); err == nil {
			return filepath.Join(h, ".local", "state", "baomi"), nil
		}
	}
	return "", fmt.Errorf("applog: no folder for the log")
}

// File is a log file that rotates itself at MaxSize. It is safe for
// concurrent use.
type File struct {
	mu   sync.Mutex
	path string
	f    *os.File
	size int64
	max  int64
}

// Open opens (appending) the log in dir, creating dir if needed.
func Open(dir string) (*File, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("applog: %w", err)
	}
	lf := &File{path: filepath.Join(dir, FileName), max: MaxSize}
	if err := lf.open(); err != nil {
		return nil, err
	}
	return lf, nil
}

func (lf *File) open() error {
	f, err := os.OpenFile(lf.path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("applog: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("applog: %w", err)
	}
	lf.f, lf.size = f, st.Size()
	return nil
}

// Write appends p, first rotating the file when it would pass the limit.
func (lf *File) Write(p []byte) (int, error) {
	lf.mu.Lock()
	defer lf.mu.Unlock()
	if lf.f == nil {
		return 0, os.ErrClosed
	}
	if lf.size+int64(len(p)) > lf.max && lf.size > 0 {
		lf.f.Close()
		if err := os.Rename(lf.path, lf.path+".1"); err != nil {
			return 0, fmt.Errorf("applog: rotate: %w", err)
		}
		if err := lf.open(); err != nil {
			lf.f = nil
			return 0, err
		}
	}
	n, err := lf.f.Write(p)
	lf.size += int64(n)
	return n, err
}

// Close closes the file.
func (lf *File) Close() error {
	lf.mu.Lock()
	defer lf.mu.Unlock()
	if lf.f == nil {
		return nil
	}
	err := lf.f.Close()
	lf.f = nil
	return err
}

// New returns a logger writing to lf and to also (which may be nil), with
// date, time and the "baomi: " prefix.
func New(lf *File, also io.Writer) *log.Logger {
	var w io.Writer = lf
	if also != nil {
		w = io.MultiWriter(lf, also)
	}
	return log.New(w, "baomi: ", log.LstdFlags)
}
