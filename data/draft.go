package data

// DraftKeeper keeps the draft of a form the officer has open: what was
// typed, saved in the background while the form is open so that a window
// that dies (a panic in the toolkit, a kill, a power cut) loses at most
// the last seconds of typing. A draft may hold classified titles, so it is
// kept sealed with the data folder's keys, never as plain text; it is not
// a record (no audit entry: it is written every few seconds and thrown
// away when the form is saved or cancelled). The workspace implements it.
type DraftKeeper interface {
	// SaveDraft replaces the draft called name (lower-case letters) with
	// b, durably.
	SaveDraft(name string, b []byte) error
	// Draft returns the draft called name, an error wrapping ErrNotFound
	// when there is none, or one wrapping ErrCorrupt when it does not open
	// with this folder's keys.
	Draft(name string) ([]byte, error)
	// DeleteDraft removes the draft called name; none is not an error.
	DeleteDraft(name string) error
}
