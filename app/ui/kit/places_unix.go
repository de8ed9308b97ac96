//go:build !windows

package kit

import (
	"os"
	"os/user"
	"path/filepath"
)

// userFolders returns the desktop and documents folders: the ones named
// in ~/.config/user-dirs.dirs (桌面 and 文档 on a Chinese desktop), else
// 桌面 / 文档 or Desktop / Documents under home, whichever exists.
func userFolders(home string) (desktop, documents string) {
	if home == "" {
		return "", ""
	}
	dirs := map[string]string{}
	if f, err := os.Open(filepath.Join(home, ".config", "user-dirs.dirs")); err == nil {
		dirs = xdgUserDirs(f, home)
		f.Close()
	}
	pick := func(name, zh, en string) string {
		if p := dirs[name]; isDir(p) && p != filepath.Clean(home) {
			return p
		}
		if p := filepath.Join(home, zh); isDir(p) {
			return p
		}
		return filepath.Join(home, en)
	}
	return pick("DESKTOP", "桌面", "Desktop"), pick("DOCUMENTS", "文档", "Documents")
}

// removableDrives returns the mounted removable drives of the user (from
// /proc/self/mounts), each only when it can be read.
func removableDrives() []Place {
	f, err := os.Open("/proc/self/mounts")
	if err != nil {
		return nil
	}
	defer f.Close()
	name := os.Getenv("USER")
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	var out []Place
	for _, p := range mountedRemovable(f, name) {
		if _, err := os.ReadDir(p.Path); err == nil {
			out = append(out, p)
		}
	}
	return out
}
