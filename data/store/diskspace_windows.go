//go:build windows

package store

import "golang.org/x/sys/windows"

// freeBytes returns the bytes of the disk holding path that this user may
// still write (GetDiskFreeSpaceEx, which honours disk quotas).
func freeBytes(path string) (uint64, error) {
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return 0, err
	}
	var avail, total, free uint64
	if err := windows.GetDiskFreeSpaceEx(p, &avail, &total, &free); err != nil {
		return 0, err
	}
	return avail, nil
}
