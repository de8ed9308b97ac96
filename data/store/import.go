package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/dgraph-io/badger/v4"

	"baomi/data"
)

// importChunk is how many carriers one transaction of Import writes at
// most.
const importChunk = 250

// importChunkBytes bounds the estimated size of one transaction of Import.
// Badger refuses a transaction over 15% of the memtable (629 KB of the
// 4 MB one, "Txn is too big"): with 8 MB memtables, 600 carriers with
// every text field at its longest (about 7.5 KB of JSON each) failed in
// the first chunk of 250. Half the limit leaves room for what rowCost
// leaves out.
const importChunkBytes = memTableSize * 15 / 100 / 2

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

// ImportResult counts what Import wrote (data.ImportResult).
type ImportResult = data.ImportResult

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
	// Check: rules, and 编号 unique against the register and the batch.
	// The register is not loaded: each 编号 is looked up in the store's
	// index, and a row is kept as its place in adds or updates and the ID
	// it gets, not as a copy. Loading the register (and so the store's
	// cached copy of it) and copying every row took a 100,000-row import
	// on an empty register to 670 MB of RSS and killed a 199,990-row one
	// in a 500 MB memory cgroup (#7 item 7).
	type item struct {
		src   int32 // index in adds, or in updates when !isNew
		isNew bool
		id    string
		old   string // an update's stored 编号
	}
	var todo []item
	// claimed maps a 编号 the batch gives to the carrier that gets it;
	// freed holds the stored 编号 of carriers the batch renumbers.
	claimed := map[string]string{}
	freed := map[string]bool{}
	err = s.view(ctx, func(txn *badger.Txn) error {
		check := func(src int, c data.Carrier, isNew bool) error {
			c.Normalize()
			if err := c.Validate(set.Classifications, today); err != nil {
				refused[c.Number] = err
				return nil
			}
			it := item{src: int32(src), isNew: isNew, id: c.ID}
			if !isNew {
				var old data.Carrier
				err := s.get(txn, KindCarrier, c.ID, &old)
				if errors.Is(err, data.ErrNotFound) {
					refused[c.Number] = fmt.Errorf("carrier %s: %w", c.ID, data.ErrNotFound)
					return nil
				}
				if err != nil {
					return err
				}
				it.old = old.Number
			}
			owner, inBatch := claimed[c.Number]
			if !inBatch && !freed[c.Number] {
				id, err := s.lookup(txn, KindCarrier, "number", c.Number)
				if err != nil {
					return err
				}
				owner = id
			}
			if owner != "" && (isNew || owner != c.ID) {
				refused[c.Number] = data.FieldErrors{{Field: data.FieldNumber, Problem: "该编号已被其他载体使用"}}
				return nil
			}
			if isNew {
				it.id = newID()
			} else if o, ok := claimed[it.old]; !ok || o == it.id {
				delete(claimed, it.old)
				freed[it.old] = true
			}
			delete(freed, c.Number)
			claimed[c.Number] = it.id
			todo = append(todo, it)
			return nil
		}
		for i, c := range adds {
			if err := check(i, c, true); err != nil {
				return err
			}
		}
		for i, c := range updates {
			if err := check(i, c, false); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return ImportResult{}, nil, fmt.Errorf("import: check: %w", err)
	}
	// row is the carrier todo[i] writes, normalized and with its ID.
	row := func(i int) data.Carrier {
		var c data.Carrier
		if todo[i].isNew {
			c = adds[todo[i].src]
		} else {
			c = updates[todo[i].src]
		}
		c.Normalize()
		c.ID = todo[i].id
		return c
	}
	if allOrNothing && len(refused) > 0 {
		return ImportResult{}, refused, fmt.Errorf("import: %d refused: %w", len(refused), data.ErrInvalid)
	}
	if err := checkSpace(filepath.Dir(s.dir), uint64(len(todo))*importRowBytes); err != nil {
		return ImportResult{}, refused, err
	}
	ends := importChunks(len(todo), func(i int) int { return rowCost(row(i), allOrNothing && !todo[i].isNew) })
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
			for i := start; i < end; i++ {
				it, c := todo[i], row(i)
				if it.isNew {
					c.CopyOf = ""
					applyLife(&c, data.Life{State: data.StateHeld})
					c.CreatedAt, c.UpdatedAt = now, now
				} else {
					var old data.Carrier
					if err := s.get(t.txn, KindCarrier, c.ID, &old); err != nil {
						return err
					}
					if j != nil {
						rec.Updated = append(rec.Updated, journalUpdate{ID: c.ID, Old: old})
					}
					c.KeepStored(old)
					c.UpdatedAt = now
				}
				if err := t.put(KindCarrier, c.ID, c); err != nil {
					return err
				}
				if it.isNew {
					if err := t.register(c, c.ReceivedOn, t.s.opts.Operator, "", "导入", now); err != nil {
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
