package data

// The results the store gives and the screens and commands show. They live
// here, with the domain, so that the user interface depends on the domain
// and not on the store (data/store keeps aliases of them).

// AuditHead is the newest link of the audit chain: its sequence number and
// its hash in hex. Every change moves it; the zero AuditHead is the empty
// chain.
type AuditHead struct {
	Seq  uint64 `json:"seq"`
	Hash string `json:"hash"`
}

// Fingerprint returns the first 12 hex digits of the head's hash in groups
// of four, for the status bar and printed registers ("—" for an empty chain).
func (h AuditHead) Fingerprint() string {
	if h.Seq == 0 || len(h.Hash) < 12 {
		return "—"
	}
	return h.Hash[0:4] + "-" + h.Hash[4:8] + "-" + h.Hash[8:12]
}

// VerifyReport is what a full verification found sound.
type VerifyReport struct {
	Head    AuditHead // the verified head
	Entries int       // audit entries walked
	Records int       // records checked against their digests
	// RegisterConfirmed is true when the store's register (from a snapshot
	// or an earlier read) was found equal, carrier by carrier, to the
	// audited records; a register that differs is dropped and read again.
	RegisterConfirmed bool
}

// ImportResult counts what an import wrote.
type ImportResult struct {
	Added, Updated int
}

// Progress is told how much of a long task is done.
type Progress func(done, total int)

// RegisterSnapshot is the register as it stood at Head: what the window
// shows before the store has been opened and checked.
type RegisterSnapshot struct {
	Head     AuditHead
	Unit     Unit
	HasUnit  bool // false until setup saved the unit
	Settings Settings
	Carriers []Carrier // sorted by 编号
}
