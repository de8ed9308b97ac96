package store

import (
	"context"
	"encoding/json"
	"fmt"

	"baomi/data"

	"github.com/dgraph-io/badger/v4"
)

// Every kind of record the store keeps is declared here once, and the
// store's generic code (tx.put and tx.del, Verify, the change observers)
// works from the declaration: a record lives under r/<kind>/<id> as sealed
// JSON, each change with its audit entry, and each of the kind's unique
// fields has an index i/<kind>/<field>/<blinded value> -> id that put and
// del keep in the record's own transaction and Verify checks both ways.
// Adding a kind is a declaration here and a thin file of typed operations
// (docs/adding-a-record-kind.md).

// kindSpec declares one kind of record.
type kindSpec struct {
	name   string        // in keys and audit entries; never changes once written
	label  string        // what the user calls it, in Verify's findings
	unique []uniqueField // fields no two records of the kind may share
}

// uniqueField is a field no two records of a kind may share.
type uniqueField struct {
	name    string // in index keys; never changes once written
	field   string // the data.Field… named when a save clashes
	problem string // the Chinese problem said then
	// value reads the field from a record's JSON; "" is not indexed.
	value func(plain []byte) (string, error)
}

// kinds holds every declared kind by name.
var kinds = map[string]*kindSpec{}

// declareKind adds k to kinds; declaring a name twice is a programming
// error.
func declareKind(k *kindSpec) *kindSpec {
	if _, dup := kinds[k.name]; dup {
		panic("store: kind " + k.name + " declared twice")
	}
	kinds[k.name] = k
	return k
}

// kindOf returns the declaration of kind.
func kindOf(kind string) (*kindSpec, error) {
	k, ok := kinds[kind]
	if !ok {
		return nil, fmt.Errorf("store: undeclared record kind %q", kind)
	}
	return k, nil
}

// Record kinds.
const (
	KindCarrier  = "carrier"
	KindUnit     = "unit"
	KindSettings = "settings"
	// KindEvent is the record kind of carrier events. An event's id is
	// <carrier id>/<8-digit sequence>, so a carrier's events sit together
	// in the order they were recorded.
	KindEvent = "event"
	// KindPerson is the record kind of cleared people (涉密人员).
	KindPerson = "person"
	// KindOutput is the record kind of output records (输出记录): every
	// export and print of classified data, each with its audit entry.
	KindOutput = "output"
	// KindLetter is the record kind of printed 保密承诺书: one record per
	// person and letter printed.
	KindLetter = "letter"
	// KindPersonEvent is the record kind of a person's history (登记, 修改,
	// 离岗): its id is <person id>/<8-digit sequence>, like KindEvent.
	KindPersonEvent = "personEvent"
)

func init() {
	declareKind(&kindSpec{name: KindCarrier, label: "载体", unique: []uniqueField{{
		name: "number", field: data.FieldNumber, problem: "该编号已被其他载体使用",
		value: func(p []byte) (string, error) {
			var c struct {
				Number string `json:"number"`
			}
			err := json.Unmarshal(p, &c)
			return c.Number, err
		},
	}}})
	declareKind(&kindSpec{name: KindEvent, label: "载体事件"})
	declareKind(&kindSpec{name: KindUnit, label: "单位"})
	declareKind(&kindSpec{name: KindSettings, label: "设置"})
	declareKind(&kindSpec{name: KindOutput, label: "输出记录"})
	declareKind(&kindSpec{name: KindLetter, label: "保密承诺书记录"})
	declareKind(&kindSpec{name: KindPersonEvent, label: "涉密人员经历"})
	declareKind(&kindSpec{name: KindPerson, label: "涉密人员", unique: []uniqueField{{
		name: "staffNumber", field: data.FieldStaffNumber, problem: "该人员编号已被其他涉密人员使用，请核对后换一个",
		value: func(p []byte) (string, error) {
			var v struct {
				StaffNumber string `json:"staffNumber"`
			}
			err := json.Unmarshal(p, &v)
			return v.StaffNumber, err
		},
	}}})
}

// kindName is what the user calls kind.
func kindName(kind string) string {
	if k, ok := kinds[kind]; ok {
		return k.label
	}
	return kind
}

// change is one record written or deleted by a committed transaction.
type change struct {
	kind, id string
	value    any // as given to put; nil for a deletion
}

// observer is told the changes of every commit, with the heads before and
// after it; the store calls it holding s.mu, so it must be quick and must
// not call the store.
type observer func(from, to Head, changes []change)

// getRecord returns record kind/id as a T; a missing record is
// data.ErrNotFound.
func getRecord[T any](s *Store, txn *badger.Txn, kind, id string) (T, error) {
	var v T
	err := s.get(txn, kind, id, &v)
	return v, err
}

// readRecord returns record kind/id as a T, read in a transaction of its
// own; a missing record is data.ErrNotFound. The typed getters of each kind
// (Carrier, Person…) are this with the kind's name in the error.
func readRecord[T any](ctx context.Context, s *Store, kind, id string) (T, error) {
	var v T
	err := s.view(ctx, func(txn *badger.Txn) error {
		var err error
		v, err = getRecord[T](s, txn, kind, id)
		return err
	})
	if err != nil {
		var zero T
		return zero, fmt.Errorf("%s %s: %w", kind, id, err)
	}
	return v, nil
}

// listRecords returns every record of kind as a T, in key order. under,
// if not "", narrows it to the records whose id starts with under + "/":
// the children of a record, such as a carrier's events.
func listRecords[T any](s *Store, txn *badger.Txn, kind, under string) ([]T, error) {
	prefix := kind
	if under != "" {
		prefix += "/" + under
	}
	var out []T
	err := s.each(txn, prefix, func(id string, plain []byte) error {
		var v T
		if err := json.Unmarshal(plain, &v); err != nil {
			return fmt.Errorf("decode %s %s: %v: %w", kind, id, err, data.ErrCorrupt)
		}
		out = append(out, v)
		return nil
	})
	return out, err
}
