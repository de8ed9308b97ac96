//go:build windows

package datadir

// RestrictUmask does nothing on Windows: files get the access rights of the
// folder's ACL (the user's profile), not of a umask. It returns 0.
func RestrictUmask() (old int) { return 0 }

// SetUmask does nothing on Windows and returns 0.
func SetUmask(mask int) (old int) { return 0 }
