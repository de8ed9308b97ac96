//go:build windows

package kit

import (
	"path/filepath"

	"golang.org/x/sys/windows"
)

// userFolders returns the desktop and documents folders as Windows knows
// them (they may be redirected away from the profile).
func userFolders(home string) (desktop, documents string) {
	known := func(id *windows.KNOWNFOLDERID, name string) string {
		if p, err := windows.KnownFolderPath(id, 0); err == nil {
			return p
		}
		if home == "" {
			return ""
		}
		return filepath.Join(home, name)
	}
	return known(windows.FOLDERID_Desktop, "Desktop"), known(windows.FOLDERID_Documents, "Documents")
}

// removableDrives returns the drive letters Windows reports as removable
// (U盘, card readers) that hold a medium.
func removableDrives() []Place {
	mask, err := windows.GetLogicalDrives()
	if err != nil {
		return nil
	}
	var out []Place
	for i := 0; i < 26; i++ {
		if mask&(1<<i) == 0 {
			continue
		}
		root := string(rune('A'+i)) + `:\`
		p, err := windows.UTF16PtrFromString(root)
		if err != nil || windows.GetDriveType(p) != windows.DRIVE_REMOVABLE {
			continue
		}
		if isDir(root) { // a card reader without a card has no folder
			out = append(out, Place{Name: "U盘（" + root[:2] + "）", Path: root, Removable: true})
		}
	}
	return out
}
