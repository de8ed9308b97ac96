// Package datadir finds Baomi's data folder and makes sure only one process
// uses it at a time.
package datadir

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"syscall"

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
	return "", data.Userf(errNoHome, "找不到本用户的主文件夹，无法确定默认的数据目录。请用 --data 或环境变量 %s 指定数据目录。", EnvVar)
}

// errNoHome means the OS default data folder cannot be worked out.
var errNoHome = errors.New("no home folder: choose a data folder with --data or " + EnvVar)

// ErrNotFolder means the data folder's path names a file, not a folder.
var ErrNotFolder = errors.New("data folder path is a file")

// ErrReadOnly means the data folder (or, for a new one, the folder it is
// to be created in) cannot be written: a read-only file system, a
// write-protected medium or missing write permission.
var ErrReadOnly = errors.New("data folder not writable")

// Check reports whether dir exists and is a folder, without changing
// anything. A missing folder gives an error wrapping fs.ErrNotExist; a file
// gives a *data.UserError wrapping ErrNotFolder.
func Check(dir string) error {
	fi, err := os.Stat(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("data folder %s: %w", dir, err)
		}
		if errors.Is(err, syscall.ENOTDIR) {
			return underFile(dir, err)
		}
		return data.Userf(err, "无法读取数据目录 %s。请检查路径和权限。", dir)
	}
	if !fi.IsDir() {
		return notFolder(dir)
	}
	return nil
}

func notFolder(dir string) error {
	return data.Userf(ErrNotFolder, "数据目录 %s 是一个文件，不是文件夹。请用 --data（或环境变量 %s）指定一个文件夹。", dir, EnvVar)
}

func underFile(dir string, cause error) error {
	return data.Userf(fmt.Errorf("%w: %w", ErrNotFolder, cause),
		"无法使用数据目录 %s：路径中的上级是一个文件，不是文件夹。请用 --data（或环境变量 %s）指定另一个位置。", dir, EnvVar)
}

func readOnly(dir string, cause error) error {
	return data.Userf(fmt.Errorf("%w: %w", ErrReadOnly, cause),
		"数据目录 %s 只读（或没有写权限），保密工作台无法使用它。请解除写保护或修正权限，或把整个数据目录复制到可写的位置后用 --data 指定。", dir)
}

// Lock creates dir if needed and takes an exclusive lock on its lock file.
// A folder locked by another process gives an error wrapping
// data.ErrAlreadyOpen; a path that is a file, ErrNotFolder; a folder that
// cannot be written, ErrReadOnly (each with its Chinese message). Call the
// returned function to release it.
func Lock(dir string) (release func(), err error) {
	if err := Check(dir); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		switch {
		case errors.Is(err, syscall.ENOTDIR):
			return nil, underFile(dir, err)
		case isReadOnly(err):
			return nil, data.Userf(fmt.Errorf("%w: %w", ErrReadOnly, err),
				"无法创建数据目录 %s：所在的位置只读（或没有写权限）。请用 --data 指定一个可写的位置。", dir)
		}
		return nil, data.Userf(err, "无法创建数据目录 %s。请检查路径，或用 --data 指定另一个位置。", dir)
	}
	// An existing lock file opens read-write even in a folder without
	// write permission, so ask about the folder itself first.
	if err := writable(dir); err != nil {
		return nil, readOnly(dir, err)
	}
	f, err := os.OpenFile(filepath.Join(dir, LockName), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		if isReadOnly(err) {
			return nil, readOnly(dir, err)
		}
		return nil, data.Userf(err, "无法打开数据目录 %s 中的锁文件 %s。请检查该文件的权限。", dir, LockName)
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
