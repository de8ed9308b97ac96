package workspace

import "baomi/data"

// The output records (every export and print, audited) are the store's,
// reached through the embedded *store.Store; the shell records prints and
// the carrier screens exports through it.
var _ data.OutputService = (*Workspace)(nil)
