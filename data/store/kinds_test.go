package store

import (
	"encoding/json"
	"errors"
	"sort"
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

// uniqueRecords makes, for every declared unique field
// ("<kind>/<index name>"), a record of its kind with id and that field set
// to value: the test below runs over every declared kind, so a kind added
// later is checked once it says here how to make one of its records.
var uniqueRecords = map[string]func(id, value string) any{
	kindBadge + "/code":         func(id, v string) any { return badge{ID: id, Code: v, Name: "徽章"} },
	KindCarrier + "/number":     func(id, v string) any { return data.Carrier{ID: id, Number: v} },
	KindPerson + "/staffNumber": func(id, v string) any { return data.Person{ID: id, StaffNumber: v} },
}

// uniqueCase is one declared unique field under test.
type uniqueCase struct {
	kind  *kindSpec
	field uniqueField
	make  func(id, value string) any
}

// put stores the record id of the case's kind with the field set to value.
func (u uniqueCase) put(s *Store, id, value string) error {
	return s.update(ctx, func(t *tx) error { return t.put(u.kind.name, id, u.make(id, value)) })
}

// setIndexEntry returns a tamper that makes the case's index map value to
// id.
func (u uniqueCase) setIndexEntry(s *Store, value, id string) func(txn *badger.Txn) error {
	return func(txn *badger.Txn) error {
		k := indexKey(u.kind.name, u.field.name, s.seal.blind(value))
		v, err := s.seal.seal(k, []byte(id))
		if err != nil {
			return err
		}
		return txn.Set(k, v)
	}
}

// everyUniqueField returns a case per unique field of every declared kind,
// in name order; a field uniqueRecords cannot make a record for fails t.
func everyUniqueField(t *testing.T) []uniqueCase {
	t.Helper()
	var out []uniqueCase
	for _, k := range kinds {
		for _, f := range k.unique {
			mk := uniqueRecords[k.name+"/"+f.name]
			if mk == nil {
				t.Errorf("kind %s declares the unique field %s: say in uniqueRecords how to make such a record", k.name, f.name)
				continue
			}
			out = append(out, uniqueCase{kind: k, field: f, make: mk})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].kind.name+"/"+out[i].field.name < out[j].kind.name+"/"+out[j].field.name
	})
	return out
}

// Given records of any declared kind, written through the generic put
// alone, put refuses a unique value another record holds, a renamed record
// frees its old value, a deleted one frees its value, and Verify checks
// the kind's index both ways. The throw-away kind badge, which the store's
// code knows nothing about but its declaration, shows that no code is
// written for a kind's index; the real kinds are checked the same way.
func TestAnyDeclaredKindHasItsUniqueIndexKeptAndVerified(t *testing.T) {
	cases := everyUniqueField(t)
	if len(cases) < 3 { // badge, carrier 编号, person 人员编号
		t.Fatalf("%d unique fields declared, want at least 3", len(cases))
	}
	for _, u := range cases {
		t.Run(u.kind.name+"/"+u.field.name, func(t *testing.T) {
			testUniqueIndex(t, u)
		})
	}
}

func testUniqueIndex(t *testing.T, u uniqueCase) {
	s := openTest(t, t.TempDir(), testKeys(t), false)
	defer s.Close()
	for _, r := range []struct{ id, value string }{{"a", "X1"}, {"b", "X2"}} {
		if err := u.put(s, r.id, r.value); err != nil {
			t.Fatal(err)
		}
	}
	// a clash is refused with the declared field and problem, and changes nothing
	head := s.Head()
	err := u.put(s, "c", "X1")
	var fe data.FieldErrors
	if !errors.Is(err, data.ErrConflict) || !errors.As(err, &fe) || fe[0].Field != u.field.field || fe[0].Problem != u.field.problem {
		t.Fatalf("clash: %v", err)
	}
	if s.Head() != head {
		t.Fatal("a refused save moved the head")
	}
	// a rename frees the old value; a deletion frees its value
	if err := u.put(s, "a", "X3"); err != nil {
		t.Fatal(err)
	}
	if err := u.put(s, "c", "X1"); err != nil {
		t.Fatalf("X1 after the rename: %v", err)
	}
	if err := s.update(ctx, func(t *tx) error { return t.del(u.kind.name, "b") }); err != nil {
		t.Fatal(err)
	}
	if err := u.put(s, "d", "X2"); err != nil {
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
			return func(txn *badger.Txn) error {
				return txn.Delete(indexKey(u.kind.name, u.field.name, s.seal.blind("X1")))
			}
		}},
		{"an entry names another record", func(s *Store) func(txn *badger.Txn) error {
			return u.setIndexEntry(s, "X1", "d")
		}},
		{"an extra entry names a record", func(s *Store) func(txn *badger.Txn) error {
			return u.setIndexEntry(s, "X9", "c")
		}},
		{"an entry names a record that is not there", func(s *Store) func(txn *badger.Txn) error {
			return u.setIndexEntry(s, "X8", "zz")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openTest(t, t.TempDir(), testKeys(t), false)
			defer s.Close()
			for _, r := range []struct{ id, value string }{{"c", "X1"}, {"d", "X2"}} {
				if err := u.put(s, r.id, r.value); err != nil {
					t.Fatal(err)
				}
			}
			tamper(t, s, tc.spoil(s))
			_, err := s.Verify(ctx)
			var ve *VerifyError
			if !errors.As(err, &ve) || ve.Reason != reasonIndex || ve.Kind != u.kind.name {
				t.Errorf("verify = %v, want an index break in %s", err, u.kind.name)
			}
		})
	}
}
