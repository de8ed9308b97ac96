package store

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/dgraph-io/badger/v4"

	"baomi/data"
)

// badge is a throw-away kind of record, declared only in the tests, with
// one unique field: it shows that the record layer keeps and Verify checks
// the unique index of any declared kind, with no code written for it.
type badge struct {
	ID   string `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
}

const kindBadge = "test-badge"

func init() {
	declareKind(&kindSpec{name: kindBadge, label: "测试徽章", unique: []uniqueField{{
		name: "code", field: "code", problem: "该代码已被其他徽章使用",
		value: func(p []byte) (string, error) {
			var b badge
			err := json.Unmarshal(p, &b)
			return b.Code, err
		},
	}}})
}

func putBadge(s *Store, b badge) error {
	return s.update(ctx, func(t *tx) error { return t.put(kindBadge, b.ID, b) })
}

// Given records of a kind the store's code knows nothing about but its
// declaration, put refuses a unique value another record holds, a renamed
// record frees its old value, a deleted one frees its value, and Verify
// checks the kind's index both ways.
func TestAnyDeclaredKindHasItsUniqueIndexKeptAndVerified(t *testing.T) {
	s := openTest(t, t.TempDir(), testKeys(t), false)
	defer s.Close()
	a, b := badge{ID: "a", Code: "X1", Name: "甲"}, badge{ID: "b", Code: "X2", Name: "乙"}
	for _, v := range []badge{a, b} {
		if err := putBadge(s, v); err != nil {
			t.Fatal(err)
		}
	}
	// a clash is refused with the declared field and problem, and changes nothing
	head := s.Head()
	err := putBadge(s, badge{ID: "c", Code: "X1"})
	var fe data.FieldErrors
	if !errors.Is(err, data.ErrConflict) || !errors.As(err, &fe) || fe[0].Field != "code" || fe[0].Problem != "该代码已被其他徽章使用" {
		t.Fatalf("clash: %v", err)
	}
	if s.Head() != head {
		t.Fatal("a refused save moved the head")
	}
	// a rename frees the old value; a deletion frees its value
	a.Code = "X3"
	if err := putBadge(s, a); err != nil {
		t.Fatal(err)
	}
	if err := putBadge(s, badge{ID: "c", Code: "X1"}); err != nil {
		t.Fatalf("X1 after the rename: %v", err)
	}
	if err := s.update(ctx, func(t *tx) error { return t.del(kindBadge, "b") }); err != nil {
		t.Fatal(err)
	}
	if err := putBadge(s, badge{ID: "d", Code: "X2"}); err != nil {
		t.Fatalf("X2 after the deletion: %v", err)
	}
	if _, err := s.Verify(ctx); err != nil {
		t.Fatalf("verify of a sound store: %v", err)
	}

	for _, tc := range []struct {
		name  string
		spoil func(s *Store) func(txn *badger.Txn) error
	}{
		{"an entry is missing", func(s *Store) func(txn *badger.Txn) error {
			return func(txn *badger.Txn) error { return txn.Delete(indexKey(kindBadge, "code", s.seal.blind("X1"))) }
		}},
		{"an entry names another record", func(s *Store) func(txn *badger.Txn) error {
			return setIndexEntry(s, "X1", "d")
		}},
		{"an extra entry names a record", func(s *Store) func(txn *badger.Txn) error {
			return setIndexEntry(s, "X9", "c")
		}},
		{"an entry names a record that is not there", func(s *Store) func(txn *badger.Txn) error {
			return setIndexEntry(s, "X8", "zz")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openTest(t, t.TempDir(), testKeys(t), false)
			defer s.Close()
			for _, v := range []badge{{ID: "c", Code: "X1"}, {ID: "d", Code: "X2"}} {
				if err := putBadge(s, v); err != nil {
					t.Fatal(err)
				}
			}
			tamper(t, s, tc.spoil(s))
			_, err := s.Verify(ctx)
			var ve *VerifyError
			if !errors.As(err, &ve) || ve.Reason != reasonIndex || ve.Kind != kindBadge {
				t.Errorf("verify = %v, want an index break in %s", err, kindBadge)
			}
		})
	}
}

// setIndexEntry returns a tamper that makes the badge index map code to id.
func setIndexEntry(s *Store, code, id string) func(txn *badger.Txn) error {
	return func(txn *badger.Txn) error {
		k := indexKey(kindBadge, "code", s.seal.blind(code))
		v, err := s.seal.seal(k, []byte(id))
		if err != nil {
			return err
		}
		return txn.Set(k, v)
	}
}
