package data

// KeepStored gives c, an edited carrier about to replace stored, what an
// edit or an import never changes: the state and the facts derived from
// its events (only events change them), its creation time and the link of
// a copy to its original.
func (c *Carrier) KeepStored(stored Carrier) {
	c.State, c.CreatedAt, c.CopyOf = stored.State, stored.CreatedAt, stored.CopyOf
	c.Borrower, c.DueOn, c.LastSeen, c.Missing = stored.Borrower, stored.DueOn, stored.LastSeen, stored.Missing
}
