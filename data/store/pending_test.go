package store

import (
	"errors"
	"os"
	"strings"
	"testing"

	"baomi/data"
	"baomi/data/datatest"
)

// pendingUSB is a USB stick an import read without its serial.
func pendingUSB(n string) data.Carrier {
	c := datatest.NewCarrier(n)
	c.Kind = data.KindUSB
	c.MarkPending()
	return c
}

func TestAddCarrierRefusesADeviceWithoutSerialEvenWhenFlaggedPending(t *testing.T) {
	s := openTest(t, t.TempDir(), testKeys(t), false)
	defer s.Close()
	c := pendingUSB("U-1")
	if c.Pending != data.FieldSerial {
		t.Fatalf("Pending = %q", c.Pending)
	}
	_, err := s.AddCarrier(ctx, c)
	var fe data.FieldErrors
	if !errors.As(err, &fe) || fe.For(data.FieldSerial) == "" {
		t.Fatalf("err = %v, want a problem on 序列号", err)
	}
	if msg := data.Message(err); !strings.Contains(msg, "序列号：设备类载体必须填写序列号") {
		t.Errorf("message %q", msg)
	}
	if list, _ := s.Carriers(ctx); len(list) != 0 {
		t.Errorf("refused carrier stored: %d", len(list))
	}
}

func TestImportLeavesADeviceWithoutSerialPendingUntilAnEditFillsIt(t *testing.T) {
	s := openTest(t, t.TempDir(), testKeys(t), false)
	defer s.Close()
	unflagged := datatest.NewCarrier("U-2")
	unflagged.Kind = data.KindUSB
	res, refused, err := s.Import(ctx, []data.Carrier{pendingUSB("U-1"), unflagged}, nil, false, nil)
	if err != nil || res.Added != 1 || refused["U-2"] == nil || refused["U-1"] != nil {
		t.Fatalf("import: %+v %v %v; want U-1 added, U-2 (not flagged) refused", res, refused, err)
	}
	stored, err := s.CarrierByNumber(ctx, "U-1")
	if err != nil || stored.Pending != data.FieldSerial {
		t.Fatalf("stored pending %q (%v)", stored.Pending, err)
	}

	// an edit of another field keeps it pending
	edit := stored
	edit.Location = "保密柜3号"
	if got, err := s.UpdateCarrier(ctx, edit); err != nil || got.Pending != data.FieldSerial {
		t.Fatalf("edit of the location: pending %q, %v", got.Pending, err)
	}
	// an edit that fills the serial clears the flag
	edit.Serial = "AA12BB34"
	if _, err := s.UpdateCarrier(ctx, edit); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.Carrier(ctx, stored.ID); c.Pending != "" || c.Serial != "AA12BB34" {
		t.Errorf("after the serial was filled: pending %q, serial %q", c.Pending, c.Serial)
	}
	// once complete, a hand edit cannot blank the serial, flag or no flag
	edit.Serial, edit.Pending = "", data.FieldSerial
	_, err = s.UpdateCarrier(ctx, edit)
	var fe data.FieldErrors
	if !errors.As(err, &fe) || fe.For(data.FieldSerial) == "" {
		t.Errorf("blanking a stored serial: err = %v, want a problem on 序列号", err)
	}
	if c, _ := s.Carrier(ctx, stored.ID); c.Serial != "AA12BB34" || c.Pending != "" {
		t.Errorf("refused edit changed the carrier: serial %q, pending %q", c.Serial, c.Pending)
	}
}

// TestASnapshotWrittenBeforePendingStillOpens decodes testdata/snapshot-v2.raw,
// a register snapshot (unsealed) that the code before 待补全 wrote: its
// carriers have no Pending field and read as complete.
func TestASnapshotWrittenBeforePendingStillOpens(t *testing.T) {
	raw, err := os.ReadFile("testdata/snapshot-v2.raw")
	if err != nil {
		t.Fatal(err)
	}
	if raw[0] != snapshotV2 {
		t.Fatalf("fixture is version %d, want %d", raw[0], snapshotV2)
	}
	snap, err := decodeSnapshot(raw)
	if err != nil {
		t.Fatalf("a version 2 snapshot does not open: %v", err)
	}
	if snap.Head.Seq != 7 || snap.Unit.Name != "某支行" || len(snap.Carriers) != 2 {
		t.Fatalf("snapshot = head %+v, unit %q, %d carriers", snap.Head, snap.Unit.Name, len(snap.Carriers))
	}
	usb := snap.Carriers[1]
	if usb.Number != "FH-2024-008" || usb.Serial != "AA12BB34" || usb.Custodian != "李四" || usb.Pending != "" ||
		!usb.UpdatedAt.Equal(fixedNow()) {
		t.Errorf("carrier read back as %+v", usb)
	}
}
