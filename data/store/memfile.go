package store

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// dropEmptyMemtables removes memtable files (*.mem) of length zero from
// the Badger folder dir before Badger opens it.
//
// Badger creates a memtable file at every read-write open and whenever a
// memtable fills: it creates the file, then sizes and maps it. A kill -9
// between the two leaves a file of zero bytes, and Badger then refuses to
// open the store for good ("while opening memtables … Create a new file"):
// it takes the empty file for one it has just made. The re-key kill loop
// (workspace.TestKillDuringRekeyLosesNothing) hit this in one round of six
// killed within 5 ms of opening the store. A file of zero bytes holds not
// even its header, so nothing is lost by removing it. Only this process
// opens the folder: Baomi holds the data folder's lock (datadir.Lock) and
// starts the guard child after this runs.
func dropEmptyMemtables(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil // a new store; Badger reports other problems itself
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".mem") || !e.Type().IsRegular() {
			continue
		}
		info, err := e.Info()
		if err != nil || info.Size() != 0 {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
			return fmt.Errorf("remove empty memtable file %s: %w", e.Name(), err)
		}
	}
	return nil
}
