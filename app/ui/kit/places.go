package kit

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Place is a folder the file chooser offers on its left: 桌面, 文档, the
// home folder and each mounted removable drive (U盘).
type Place struct {
	// Name is what the officer reads: 桌面, 文档, U盘：KINGSTON.
	Name string
	// Path is the folder.
	Path string
	// Removable marks a removable drive.
	Removable bool
}

// Places returns the folders the file chooser offers, in the order shown:
// 桌面, 文档, 主文件夹, then each mounted removable drive. A folder that
// does not exist is left out. It is a variable so that tests can offer
// folders of their own.
var Places = systemPlaces

// systemPlaces finds the places of this computer (userFolders and
// removableDrives are per system, in places_unix.go and
// places_windows.go).
func systemPlaces() []Place {
	var out []Place
	home, _ := os.UserHomeDir()
	desktop, documents := userFolders(home)
	for _, p := range []Place{{Name: "桌面", Path: desktop}, {Name: "文档", Path: documents}, {Name: "主文件夹", Path: home}} {
		if isDir(p.Path) {
			out = append(out, p)
		}
	}
	return append(out, removableDrives()...)
}

func isDir(p string) bool {
	if p == "" {
		return false
	}
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// xdgUserDirs reads the folders of a freedesktop user-dirs.dirs file
// (~/.config/user-dirs.dirs, written by xdg-user-dirs-update: on a Chinese
// Kylin or Ubuntu XDG_DESKTOP_DIR="$HOME/桌面"), by name (DESKTOP,
// DOCUMENTS). "$HOME" is replaced by home.
func xdgUserDirs(r io.Reader, home string) map[string]string {
	out := map[string]string{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		name, value, ok := strings.Cut(line, "=")
		if !ok || strings.HasPrefix(line, "#") || !strings.HasPrefix(name, "XDG_") || !strings.HasSuffix(name, "_DIR") {
			continue
		}
		v, err := strconv.Unquote(value)
		if err != nil {
			continue
		}
		v = strings.Replace(v, "$HOME", home, 1)
		if !filepath.IsAbs(v) {
			continue
		}
		out[strings.TrimSuffix(strings.TrimPrefix(name, "XDG_"), "_DIR")] = filepath.Clean(v)
	}
	return out
}

// mountedRemovable returns the mount points in r (the format of
// /proc/self/mounts) where desktops mount removable drives: /media/<user>/…,
// /run/media/<user>/… and /mnt/…, of user or of no user (/media/usb0). A
// space in a path is written \040 in that file.
func mountedRemovable(r io.Reader, user string) []Place {
	var out []Place
	seen := map[string]bool{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 {
			continue
		}
		p := unescapeMount(f[1])
		rest, ok := "", false
		for _, prefix := range []string{"/media/" + user + "/", "/run/media/" + user + "/", "/mnt/", "/media/"} {
			if r, found := strings.CutPrefix(p, prefix); found {
				rest, ok = r, true
				break
			}
		}
		// "/media/<other user>/<label>" is someone else's drive: not ours
		if !ok || rest == "" || (strings.HasPrefix(p, "/media/") && !strings.HasPrefix(p, "/media/"+user+"/") && strings.Contains(rest, "/")) || seen[p] {
			continue
		}
		seen[p] = true
		out = append(out, Place{Name: "U盘：" + filepath.Base(p), Path: p, Removable: true})
	}
	return out
}

// unescapeMount undoes the octal escapes (\040 for a space) of a path in
// /proc/self/mounts.
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
