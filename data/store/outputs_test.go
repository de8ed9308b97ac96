package store

import (
	"errors"
	"testing"

	"github.com/dgraph-io/badger/v4"

	"baomi/data"
	"baomi/data/datatest"
)

// Given an export and a print of the register, when they are recorded,
// then each is an audit entry of its own (kind output, this session's
// operator, the digest of the stored record), the list returns them with
// what, how many and where, and Verify passes over the chain.
func TestExportAndPrintAreRecordedInTheAuditChainAndVerify(t *testing.T) {
	s := openPeopleStore(t) // a clock that moves: the list is ordered by time
	if _, err := s.AddCarrier(ctx, datatest.NewCarrier("JM-2026-001")); err != nil {
		t.Fatal(err)
	}
	before := s.Head().Seq
	exp, err := s.RecordOutput(ctx, data.Output{Way: data.OutputExport, Document: "涉密载体台账", Rows: 1,
		Where: "/media/zhang/U盘/某市财政局涉密载体台账.xlsx", Filter: "密级：机密", Fingerprint: s.Head().Fingerprint()})
	if err != nil {
		t.Fatal(err)
	}
	prt, err := s.RecordOutput(ctx, data.Output{Way: data.OutputPrint, Document: "涉密载体台账", Rows: 1, Where: "默认打印机（lp）"})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Head().Seq; got != before+2 {
		t.Fatalf("head seq = %d, want %d: one audit entry per output", got, before+2)
	}
	err = s.db.View(func(txn *badger.Txn) error {
		for i, o := range []data.Output{exp, prt} {
			e := readEntry(t, s, txn, before+1+uint64(i))
			if e.Kind != KindOutput || e.ID != o.ID || e.Action != ActionCreate || e.Operator != "张保密" {
				t.Errorf("entry %d = %+v, want a create of output %s by 张保密", i, e, o.ID)
			}
			plain, err := s.getSealed(txn, recordKey(KindOutput, o.ID))
			if err != nil {
				return err
			}
			if e.Digest != digest(plain) {
				t.Errorf("entry %d digest does not match the stored record", i)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	list, err := s.Outputs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Way != data.OutputExport || list[0].Rows != 1 ||
		list[0].Where != "/media/zhang/U盘/某市财政局涉密载体台账.xlsx" || list[0].Filter != "密级：机密" ||
		list[0].Fingerprint == "" ||
		list[1].Way != data.OutputPrint || !list[0].At.After(fixedNow()) || !list[1].At.After(list[0].At) {
		t.Errorf("outputs = %+v", list)
	}
	rep, err := s.Verify(ctx)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	if rep.Records != 4 { // the carrier, its 登记 event and the two outputs
		t.Errorf("verify records = %d, want 4", rep.Records)
	}
}

// Given an output record changed behind Baomi's back, Verify names it: the
// record of an export is covered by the chain like any other.
func TestVerifyFindsAChangedOutputRecord(t *testing.T) {
	s := openTest(t, t.TempDir(), testKeys(t), false)
	defer s.Close()
	o, err := s.RecordOutput(ctx, data.Output{Way: data.OutputExport, Document: "涉密载体台账", Rows: 3, Where: "/tmp/a.xlsx"})
	if err != nil {
		t.Fatal(err)
	}
	tamper(t, s, func(txn *badger.Txn) error {
		return (&tx{s: s, txn: txn}).setSealed(recordKey(KindOutput, o.ID), []byte(`{"id":"`+o.ID+`","way":"导出","document":"涉密载体台账","rows":0,"where":"/tmp/a.xlsx"}`))
	})
	var ve *VerifyError
	if _, err := s.Verify(ctx); !errors.As(err, &ve) {
		t.Fatalf("verify after changing an output record = %v, want a VerifyError", err)
	}
}

// An output record that does not say how, what or where is refused and
// nothing is written.
func TestOutputWithoutWayDocumentOrPlaceIsRefusedAndWritesNothing(t *testing.T) {
	cases := []struct {
		name  string
		out   data.Output
		field string
	}{
		{"no way", data.Output{Document: "涉密载体台账", Where: "/tmp/a.xlsx"}, data.FieldOutputWay},
		{"unknown way", data.Output{Way: "传真", Document: "涉密载体台账", Where: "/tmp/a.xlsx"}, data.FieldOutputWay},
		{"no document", data.Output{Way: data.OutputExport, Where: "/tmp/a.xlsx"}, data.FieldOutputDocument},
		{"blank place", data.Output{Way: data.OutputPrint, Document: "载体标签", Where: "  "}, data.FieldOutputWhere},
		{"negative rows", data.Output{Way: data.OutputPrint, Document: "载体标签", Where: "lp", Rows: -1}, data.FieldOutputRows},
	}
	s := openTest(t, t.TempDir(), testKeys(t), false)
	defer s.Close()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			head := s.Head()
			_, err := s.RecordOutput(ctx, c.out)
			var fe data.FieldErrors
			if !errors.As(err, &fe) || fe.For(c.field) == "" {
				t.Fatalf("err = %v, want a problem on %s", err, c.field)
			}
			if s.Head() != head {
				t.Errorf("head moved on a refused output")
			}
		})
	}
}
