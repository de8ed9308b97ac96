package store

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/table"

	"baomi/data"
)

// readManifest replays the MANIFEST of opt.Dir from a read-only descriptor.
// A MANIFEST Badger cannot replay wraps data.ErrCorrupt.
func readManifest(opt badger.Options) (badger.Manifest, error) {
	f, err := os.Open(filepath.Join(opt.Dir, badger.ManifestFilename))
	if err != nil {
		return badger.Manifest{}, fmt.Errorf("read MANIFEST: %w", err)
	}
	defer f.Close()
	mf, _, err := badger.ReplayManifestFile(f, opt.ExternalMagicVersion, opt)
	if err != nil {
		return badger.Manifest{}, fmt.Errorf("MANIFEST is damaged: %v: %w", err, data.ErrCorrupt)
	}
	return mf, nil
}

// checkManifestTail refuses a MANIFEST that Badger would silently cut short.
//
// Badger replays MANIFEST on open. An entry whose length field reaches past
// the end of the file is taken for an append torn by a power cut: Badger
// truncates the file there, without an error, and deletes every table file
// the shortened MANIFEST no longer names. Badger appends each entry with a
// single write, so a crashed process never leaves such an entry behind, but
// one flipped bit in an entry's length field does, and then a whole table
// (in a small store: every record and the audit chain with them) vanishes
// and the store opens empty and verifies. TestSingleByteFlipIsUnchangedOrDetected
// found this.
//
// So the store's pre-open inspection replays MANIFEST itself, read-only,
// before Badger touches the folder and refuses when Badger would cut it and
// delete a table file. A tail of zero bytes (a file extended by a power cut
// but never written) is left to Badger. The price: a MANIFEST append really
// torn by a power cut in the middle of a table flush is now reported as
// corruption rather than repaired.
func checkManifestTail(dir string, opt badger.Options) error {
	f, err := os.Open(filepath.Join(dir, badger.ManifestFilename))
	if err != nil {
		return fmt.Errorf("read MANIFEST: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return fmt.Errorf("read MANIFEST: %w", err)
	}
	mf, end, err := badger.ReplayManifestFile(f, opt.ExternalMagicVersion, opt)
	if err != nil {
		return fmt.Errorf("MANIFEST is damaged: %v: %w", err, data.ErrCorrupt)
	}
	if end >= info.Size() {
		return nil
	}
	tail := make([]byte, info.Size()-end)
	if _, err := f.ReadAt(tail, end); err != nil {
		return fmt.Errorf("read MANIFEST: %w", err)
	}
	zero := true
	for _, b := range tail {
		if b != 0 {
			zero = false
			break
		}
	}
	if zero {
		return nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("list store folder: %w", err)
	}
	for _, e := range entries {
		id, ok := table.ParseFileID(e.Name())
		if !ok {
			continue
		}
		if _, named := mf.Tables[id]; !named {
			return fmt.Errorf("MANIFEST is damaged at byte %d of %d: opening would drop its last %d bytes and delete table %s: %w",
				end, info.Size(), len(tail), e.Name(), data.ErrCorrupt)
		}
	}
	return nil
}
