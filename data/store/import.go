package store

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"

	"baomi/data"
)

// importChunk is how many carriers one transaction of Import writes at
// most.
const importChunk = 250

// importChunkBytes bounds the estimated size of one transaction of Import.
// Badger refuses a transaction over 15% of the 8 MB memtable (1.26 MB,
// "Txn is too big"): 600 carriers with every text field at its longest
// (about 7.5 KB of JSON each) failed in the first chunk of 250. Half the
// limit leaves room for what rowCost leaves out.
const importChunkBytes = 640 << 10

// rowCost estimates what importing c adds to its transaction: its JSON
// (twice when an all-or-nothing update journals the value it replaces)
// and about 1 KB for sealing, its registration event, its 编号 index entry,
// their keys and two audit entries.
func rowCost(c data.Carrier, journalled bool) int {
	b, _ := json.Marshal(c)
	n := len(b) + 1024
	if journalled {
		n += len(b)
	}
	return n
}

// importChunks splits n rows into chunks of at most importChunk rows and
// about importChunkBytes, and returns where each chunk ends.
func importChunks(n int, cost func(i int) int) []int {
	var ends []int
	rows, bytes := 0, 0
	for i := 0; i < n; i++ {
		c := cost(i)
		if rows > 0 && (rows == importChunk || bytes+c > importChunkBytes) {
			ends = append(ends, i)
			rows, bytes = 0, 0
		}
		rows++
		bytes += c
	}
	if rows > 0 {
		ends = append(ends, n)
	}
	return ends
}

// ImportResult counts what Import wrote.
type ImportResult struct {
	Added, Updated int
}

// Import registers new carriers and updates existing ones in bulk (an
// Excel import). Every carrier is validated and every 编号 checked for
// clashes first; with allOrNothing, one refusal writes nothing, otherwise
// refused carriers are returned with their problems and the rest are
// written. Writes go in durable transactions of up to 250 carriers; new
// carriers get their registration event. Updates keep the stored state,
// derived facts and creation time. progress, if not nil, is told how many
// are done.
//
// The disk must have room for the whole import (importRowBytes a carrier)
// besides Badger's reserve, or nothing is written and the error wraps
// data.ErrDiskFull. With allOrNothing the import is atomic across a crash
// too: every chunk is journalled (importjournal.go), a failed chunk undoes
// the chunks before it at once, and a crash leaves a journal that the next
// Open undoes. Without it, every chunk written stays written.
func (s *Store) Import(ctx context.Context, adds, updates []data.Carrier, allOrNothing bool,
	progress func(done, total int)) (ImportResult, map[string]error, error) {
	set, err := s.Settings(ctx)
	if err != nil {
		return ImportResult{}, nil, err
	}
	now := s.opts.Now()
	today := data.DateOf(now)
	refused := map[string]error{}
	// check: rules, and 编号 unique against the register and the batch
	existing, err := s.Carriers(ctx)
	if err != nil {
		return ImportResult{}, nil, err
	}
	owner := make(map[string]string, len(existing)+len(adds)) // 编号 -> id
	byID := make(map[string]data.Carrier, len(existing))
	for _, c := range existing {
		owner[c.Number], byID[c.ID] = c.ID, c
	}
	type item struct {
		c     data.Carrier
		isNew bool
	}
	var todo []item
	check := func(c data.Carrier, isNew bool) {
		c.Normalize()
		if err := c.Validate(set.Classifications, today); err != nil {
			refused[c.Number] = err
			return
		}
		if !isNew {
			if _, ok := byID[c.ID]; !ok {
				refused[c.Number] = fmt.Errorf("carrier %s: %w", c.ID, data.ErrNotFound)
				return
			}
		}
		if id, ok := owner[c.Number]; ok && (isNew || id != c.ID) {
			refused[c.Number] = data.FieldErrors{{Field: data.FieldNumber, Problem: "该编号已被其他载体使用"}}
			return
		}
		if isNew {
			c.ID = newID()
		} else {
			delete(owner, byID[c.ID].Number)
		}
		owner[c.Number] = c.ID
		todo = append(todo, item{c, isNew})
	}
	for _, c := range adds {
		check(c, true)
	}
	for _, c := range updates {
		check(c, false)
	}
	if allOrNothing && len(refused) > 0 {
		return ImportResult{}, refused, fmt.Errorf("import: %d refused: %w", len(refused), data.ErrInvalid)
	}
	if err := checkSpace(filepath.Dir(s.dir), uint64(len(todo))*importRowBytes); err != nil {
		return ImportResult{}, refused, err
	}
	ends := importChunks(len(todo), func(i int) int { return rowCost(todo[i].c, allOrNothing && !todo[i].isNew) })
	var j *importJournal
	if allOrNothing && len(ends) > 1 {
		j = &importJournal{batch: newID(), chunks: len(ends)}
	}
	var res ImportResult
	for chunk, start := 0, 0; chunk < len(ends); chunk, start = chunk+1, ends[chunk] {
		end := ends[chunk]
		var added, updated int
		err := s.update(ctx, func(t *tx) error {
			added, updated = 0, 0
			rec := journalRecord{At: now}
			for _, it := range todo[start:end] {
				c := it.c
				oldNumber := ""
				if it.isNew {
					c.CopyOf = ""
					applyLife(&c, data.Life{State: data.StateHeld})
					c.CreatedAt, c.UpdatedAt = now, now
				} else {
					var old data.Carrier
					if err := s.get(t.txn, KindCarrier, c.ID, &old); err != nil {
						return err
					}
					oldNumber = old.Number
					if j != nil {
						rec.Updated = append(rec.Updated, journalUpdate{ID: c.ID, Old: old})
					}
					c.State, c.CreatedAt, c.CopyOf = old.State, old.CreatedAt, old.CopyOf
					c.Borrower, c.DueOn, c.LastSeen, c.Missing = old.Borrower, old.DueOn, old.LastSeen, old.Missing
					c.UpdatedAt = now
				}
				if err := t.setIndex(KindCarrier, "number", oldNumber, c.Number, c.ID); err != nil {
					return err
				}
				if err := t.put(KindCarrier, c.ID, c); err != nil {
					return err
				}
				if it.isNew {
					reg := data.Event{ID: eventID(c.ID, 1), CarrierID: c.ID, Kind: data.EventRegister,
						On: c.ReceivedOn, Operator: t.s.opts.Operator, Note: "导入", RecordedAt: now}
					if err := t.put(KindEvent, reg.ID, reg); err != nil {
						return err
					}
					if j != nil {
						rec.Created = append(rec.Created, c.ID)
					}
					added++
				} else {
					updated++
				}
			}
			if j != nil {
				return j.commit(t, chunk, rec)
			}
			return nil
		})
		if err != nil && j != nil && chunk > 0 {
			// all or nothing: undo the chunks already written; should that
			// fail too, the journal stays and the next Open undoes them
			n, uerr := s.rollbackBatch(j.batch)
			if uerr != nil {
				return ImportResult{}, refused, data.Userf(fmt.Errorf("import: chunk %d failed (%w); undoing the %d carriers written failed and is retried at the next open: %v", chunk, err, start, uerr),
					"导入中途失败，撤销已写入的 %d 条时也出错；下次打开数据时会自动撤销。%s", start, data.Message(err))
			}
			return ImportResult{}, refused, data.Userf(fmt.Errorf("import: chunk %d failed, the %d carriers written are undone: %w", chunk, n, err),
				"导入中途失败，已撤销已写入的 %d 条，台账保持导入前的样子。%s", n, data.Message(err))
		}
		if err != nil && start > 0 {
			return res, refused, data.Userf(fmt.Errorf("import: %d of %d written: %w", start, len(todo), err),
				"导入中途停止：前 %d 条已导入，其余 %d 条未导入。%s", start, len(todo)-start, data.Message(err))
		}
		if err != nil {
			return res, refused, fmt.Errorf("import: nothing written: %w", err)
		}
		res.Added += added
		res.Updated += updated
		if progress != nil {
			progress(end, len(todo))
		}
	}
	return res, refused, nil
}
