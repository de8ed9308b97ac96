package store

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"

	"baomi/data"
)

// SchemaVersion is the layout of records this build writes. A store written
// by a newer build is refused; an older one is migrated step by step.
const SchemaVersion = 1

// migrations[v] moves a store from schema v to v+1 inside one transaction,
// writing audit entries for every record it changes. Version 0 is a new,
// empty store.
var migrations = map[int]func(*tx) error{
	0: func(*tx) error { return nil },
}

// schemaVersion returns the stored schema version (0 for a new store). It
// runs during Open only, before the store is shared.
func (s *Store) schemaVersion() (int, error) {
	v := 0
	err := s.db.View(func(txn *badger.Txn) error {
		b, err := s.getSealed(txn, []byte(keySchema))
		if errors.Is(err, data.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		return json.Unmarshal(b, &v)
	})
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}

func (s *Store) migrate() error {
	v, err := s.schemaVersion()
	if err != nil {
		return err
	}
	if v > SchemaVersion {
		return data.Userf(data.ErrConflict, "数据由更新版本的保密工作台写入（结构版本 %d），请使用新版本打开。", v)
	}
	for ; v < SchemaVersion; v++ {
		step, ok := migrations[v]
		if !ok {
			return fmt.Errorf("no migration from schema %d", v)
		}
		next := v + 1
		err := s.update(bg, func(t *tx) error {
			if err := step(t); err != nil {
				return err
			}
			b, _ := json.Marshal(next)
			return t.setSealed([]byte(keySchema), b)
		})
		if err != nil {
			return fmt.Errorf("migrate schema %d→%d: %w", v, next, err)
		}
	}
	return nil
}
