// Package datadir finds Baomi's data folder and makes sure only one process
// uses it at a time.
package datadir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"baomi/data"
)

// EnvVar names the environment variable that chooses the data folder.
const EnvVar = "BAOMI_DATA"

// PortableMarker is the file that, placed beside the executable, makes Baomi
// keep its data in PortableDir beside the executable (for a USB folder).
const PortableMarker = "baomi.portable"

// PortableDir is the data folder's name in portable mode.
const PortableDir = "baomi-data"

// LockName is the lock file inside the data folder.
const LockName = "baomi.lock"

// Source says how Resolve chose the folder.
type Source string

// Sources of the data folder.
const (
	FromFlag     Source = "--data"
	FromEnv      Source = EnvVar
	FromPortable Source = "portable"
	FromDefault  Source = "default"
)

// Resolve returns the data folder: flag if set, else $BAOMI_DATA, else the
// portable folder when the marker sits beside exe, else the OS default
// (XDG data dir on Linux, %APPDATA% on Windows). exe is the executable's
// path ("" to skip the portable check).
func Resolve(flag, exe string) (string, Source, error) {
	if flag != "" {
		return clean(flag), FromFlag, nil
	}
	if env := os.Getenv(EnvVar); env != "" {
		return clean(env), FromEnv, nil
	}
	if exe != "" {
		dir := filepath.Dir(exe)
		if _, err := os.Stat(filepath.Join(dir, PortableMarker)); err == nil {
			return filepath.Join(dir, PortableDir), FromPortable, nil
		}
	}
	d, err := defaultDir()
	return d, FromDefault, err
}

func clean(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return filepath.Clean(p)
}

func defaultDir() (string, error) {
	switch runtime.GOOS {
	case "windows":
		if d := os.Getenv("APPDATA"); d != "" {
			return filepath.Join(d, "Baomi"), nil
		}
	case "darwin":
		if h, err := os.UserHomeDir(); err == nil {
			return filepath.Join(h, "Library", "Application Support", "Baomi"), nil
		}
	default:
		if d := os.Getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
			return filepath.Join(d, "baomi"), nil
		}
		if h, err := os.UserHomeDir(); err == nil {
			return filepath.Join(h, ".local", "share", "baomi"), nil
		}
	}
	return "", errors.New("no home folder: choose a data folder with --data or " + EnvVar)
}

// Lock creates dir if needed and takes an exclusive lock on its lock file.
// A folder locked by another process gives an error wrapping
// data.ErrAlreadyOpen. Call the returned function to release it.
func Lock(dir string) (release func(), err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, data.Userf(err, "无法创建数据目录 %s。", dir)
	}
	f, err := os.OpenFile(filepath.Join(dir, LockName), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, data.Userf(err, "无法打开数据目录 %s 中的锁文件。", dir)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		if heldElsewhere(err) {
			return nil, fmt.Errorf("lock %s: %w: %w", dir, err, data.ErrAlreadyOpen)
		}
		return nil, data.Userf(err, "无法锁定数据目录 %s（该位置可能不支持文件锁，例如网络共享）。请把数据目录放在本机硬盘或 U 盘上。", dir)
	}
	return func() { unlockFile(f); f.Close() }, nil
}
