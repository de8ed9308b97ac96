package kit

import (
	"slices"
	"strings"
	"testing"
)

// The removable drives are the mounts desktops make for them, of this
// user or of no user; the system's own mounts and other users' drives are
// not offered.
func TestMountedRemovableListsTheUsersDrivesOnly(t *testing.T) {
	mounts := `sysfs /sys sysfs rw,nosuid 0 0
/dev/sda2 / ext4 rw,relatime 0 0
/dev/sdb1 /media/zhang/KINGSTON vfat rw,nosuid,nodev 0 0
/dev/sdc1 /media/zhang/My\040Disk exfat rw 0 0
/dev/sdd1 /run/media/zhang/U3 vfat rw 0 0
/dev/sde1 /media/li/LI-USB vfat rw 0 0
/dev/sdf1 /mnt/usb vfat rw 0 0
/dev/sdg1 /media/usb0 vfat rw 0 0
/dev/sdb1 /media/zhang/KINGSTON vfat rw,nosuid,nodev 0 0
tmpfs /run/user/1000 tmpfs rw 0 0
`
	got := mountedRemovable(strings.NewReader(mounts), "zhang")
	var names, paths []string
	for _, p := range got {
		names, paths = append(names, p.Name), append(paths, p.Path)
		if !p.Removable {
			t.Errorf("%s not marked removable", p.Path)
		}
	}
	if want := []string{"/media/zhang/KINGSTON", "/media/zhang/My Disk", "/run/media/zhang/U3", "/mnt/usb", "/media/usb0"}; !slices.Equal(paths, want) {
		t.Errorf("paths %q, want %q", paths, want)
	}
	if names[0] != "U盘：KINGSTON" || names[1] != "U盘：My Disk" {
		t.Errorf("names %q", names)
	}
}

// The desktop and documents folders are read from user-dirs.dirs, where a
// Chinese desktop names them 桌面 and 文档.
func TestXDGUserDirsReadsTheChineseFolders(t *testing.T) {
	cases := []struct {
		name, file, key, want string
	}{
		{"home relative", `XDG_DESKTOP_DIR="$HOME/桌面"`, "DESKTOP", "/home/zhang/桌面"},
		{"absolute", `XDG_DOCUMENTS_DIR="/data/文档"`, "DOCUMENTS", "/data/文档"},
		{"comment", `# XDG_DESKTOP_DIR="$HOME/x"`, "DESKTOP", ""},
		{"relative is ignored", `XDG_DESKTOP_DIR="桌面"`, "DESKTOP", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := xdgUserDirs(strings.NewReader(c.file), "/home/zhang")[c.key]; got != c.want {
				t.Errorf("%s = %q, want %q", c.key, got, c.want)
			}
		})
	}
}
