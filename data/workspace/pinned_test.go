package workspace

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"baomi/data"
	"baomi/data/vault"
)

// pinnedNov2026 is the data folder written by TestWritePinnedFolder at
// commit d961cfe (November 2026, before the Badger option change of #7
// item 7). Its head, recorded when it was written:
const (
	pinnedNov2026         = "testdata/pinned-2026-11"
	pinnedNov2026Seq      = 56
	pinnedNov2026Hash     = "5bd25d23e727784de69a8e204476d5872fe21bf84c85aaf73471ccb419336a2e"
	pinnedNov2026Print    = "5bd2-5d23-e727"
	pinnedNov2026Carriers = 13
)

// copyPinned copies a pinned folder to a fresh temporary folder and returns
// the copy. The pinned folder itself is never opened: opening takes a lock
// file, tightens permissions and may rewrite the anchors and the snapshot.
func copyPinned(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "data")
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatalf("copy %s: %v", src, err)
	}
	return dst
}

// TestPinnedFolderOfNovember2026OpensVerifiesAndLists opens a copy of the
// folder written by the code of November 2026 and checks that today's code
// reads every kind of record in it unchanged (#8 item 1): no migration, the
// same chain head, the same register.
func TestPinnedFolderOfNovember2026OpensVerifiesAndLists(t *testing.T) {
	dir := copyPinned(t, pinnedNov2026)
	cfg := Config{KDF: vault.InsecureTestParams} // with the guard: every table is read with its checksums
	ctx := t.Context()

	t.Run("snapshot previews the register before the store opens", func(t *testing.T) {
		k, err := UnlockKeys(dir, pinnedPassword, cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer k.Discard()
		snap, err := k.Preview()
		if err != nil {
			t.Fatalf("preview: %v", err)
		}
		if snap.Head.Seq != pinnedNov2026Seq || snap.Head.Hash != pinnedNov2026Hash || len(snap.Carriers) != pinnedNov2026Carriers {
			t.Errorf("snapshot head %+v with %d carriers, want #%d %s with %d", snap.Head, len(snap.Carriers),
				pinnedNov2026Seq, pinnedNov2026Hash, pinnedNov2026Carriers)
		}
	})

	ws, err := Unlock(dir, pinnedPassword, cfg)
	if err != nil {
		t.Fatalf("unlock: %v", err)
	}
	defer ws.Close()
	s := ws.Store
	if n := ws.Notices(); len(n) != 0 {
		t.Errorf("notices on opening an intact folder: %q", n)
	}

	rep, err := s.Verify(ctx)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	if rep.Head.Seq != pinnedNov2026Seq || rep.Head.Hash != pinnedNov2026Hash || rep.Entries != pinnedNov2026Seq {
		t.Errorf("verified head #%d %s over %d entries, want #%d %s", rep.Head.Seq, rep.Head.Hash, rep.Entries,
			pinnedNov2026Seq, pinnedNov2026Hash)
	}
	if got := s.Head().Fingerprint(); got != pinnedNov2026Print {
		t.Errorf("fingerprint = %s, want %s", got, pinnedNov2026Print)
	}

	u, err := s.Unit(ctx)
	if err != nil || u.Name != "某市财政局" || u.Code != "CZJ" || u.Superior != "某市保密局" || u.Officer != "张保密" {
		t.Errorf("unit = %+v, %v", u, err)
	}
	set, err := s.Settings(ctx)
	if err != nil || set.AutoLockMinutes != 15 || set.NumberPattern != data.DefaultNumberPattern ||
		len(set.Classifications) != 5 || set.Classifications[4] != (data.Classification{Name: "工作秘密"}) {
		t.Errorf("settings = %+v, %v", set, err)
	}

	cs, err := s.Carriers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ number, kind, mark, state, title, custodian, model, serial string }{
		{"CZJ-2026-0001", data.KindPaper, "机密★20年", data.StateHeld, "2027年度预算编制说明", "张保密", "", ""},
		{"CZJ-2026-0001-F1", data.KindPaper, "机密★20年", data.StateHeld, "2027年度预算编制说明", "张保密", "", ""},
		{"CZJ-2026-0002", data.KindPaper, "秘密★10年", data.StateDeclassified, "关于加强保密管理工作的通知", "张保密", "", ""},
		{"CZJ-2026-0003", data.KindPaper, "秘密★2028年12月31日", data.StateDestroyed, "局务会议纪要（第12期）", "张保密", "", ""},
		{"CZJ-2026-0004", data.KindDisc, "秘密★10年", data.StateHandedOver, "重点项目资料光盘", "张保密", "", ""},
		{"CZJ-2026-0005", data.KindDisc, "内部", data.StateLent, "内部资料备份光盘", "李四", "", ""},
		{"CZJ-2026-0006", data.KindUSB, "机密★20年", data.StateHeld, "涉密U盘（办公室）", "李四", "金士顿 DataTraveler 50 32GB", "KT2026A0001"},
		{"CZJ-2026-0007", data.KindUSB, "秘密★10年", data.StateHeld, "涉密U盘（预算科）", "李四", "朗科 U903 64GB", "NC-77-0042"},
		{"CZJ-2026-0008", data.KindComputer, "机密★20年", data.StateHeld, "涉密计算机（机要室）", "李四", "联想 启天M437", "PF3XK2A9"},
		{"CZJ-2026-0009", data.KindDisk, "秘密★10年", data.StateHeld, "涉密移动硬盘", "李四", "希捷 Backup Plus 1TB", "NA8F2K1Q"},
		{"CZJ-2026-0010", data.KindNotebookOld, "工作秘密", data.StateHeld, "保密工作笔记本", "张保密", "", ""},
		{"CZJ-2026-0011", data.KindFax, "秘密★10年", data.StateHeld, "涉密传真机", "李四", "松下 KX-FL328CN", "5JBCA012345"},
		{"CZJ-2026-0012", data.KindOtherKind, "秘密★10年", data.StateHeld, "涉密录音笔", "李四", "", ""},
	}
	if len(cs) != len(want) {
		t.Fatalf("%d carriers, want %d", len(cs), len(want))
	}
	byNumber := map[string]data.Carrier{}
	for i, w := range want {
		c := cs[i]
		byNumber[c.Number] = c
		got := struct{ number, kind, mark, state, title, custodian, model, serial string }{
			c.Number, c.Kind, c.Mark(), c.State, c.Title, c.Custodian, c.Model, c.Serial}
		if got != w {
			t.Errorf("carrier %d = %+v, want %+v", i, got, w)
		}
	}
	if c := byNumber["CZJ-2026-0003"]; c.ReceivedOn != data.NewDate(2026, 11, 4) || c.Copies != 5 || c.CopyNumbers != "1-5" ||
		c.Pages != "4" || c.Source != "本单位" || c.Location != "机要室保密柜2号" || c.Note != "会后收回" {
		t.Errorf("every field of the minutes: %+v", c)
	}
	if c := byNumber["CZJ-2026-0002"]; c.DocNumber != "某保〔2026〕3号" || c.Scope != "局领导、办公室" || c.CreatedAt.IsZero() {
		t.Errorf("every field of the notice: %+v", c)
	}
	if c := byNumber["CZJ-2026-0005"]; c.Borrower != "吴九" || c.DueOn != data.NewDate(2026, 11, 30) {
		t.Errorf("lent disc: borrower %q due %v", c.Borrower, c.DueOn)
	}
	if c := byNumber["CZJ-2026-0007"]; !c.Missing {
		t.Error("the USB stick not found at the stocktake is not flagged missing")
	}
	if c := byNumber["CZJ-2026-0006"]; c.Missing || c.LastSeen != data.NewDate(2026, 11, 25) {
		t.Errorf("USB stick found at the stocktake: missing %v, last seen %v", c.Missing, c.LastSeen)
	}
	if c := byNumber["CZJ-2026-0001-F1"]; c.CopyOf != byNumber["CZJ-2026-0001"].ID {
		t.Errorf("copy of %q, want the original %q", c.CopyOf, byNumber["CZJ-2026-0001"].ID)
	}

	t.Run("编号 index finds the new number, not the old one", func(t *testing.T) {
		c, err := s.CarrierByNumber(ctx, "CZJ-2026-0010")
		if err != nil || c.Title != "保密工作笔记本" {
			t.Errorf("CZJ-2026-0010: %+v, %v", c, err)
		}
		if _, err := s.CarrierByNumber(ctx, "CZJ-2026-0099"); !errors.Is(err, data.ErrNotFound) {
			t.Errorf("the number before the renumbering: %v, want not found", err)
		}
		// the index refuses a duplicate of a pinned number
		dup := byNumber["CZJ-2026-0012"]
		dup.ID, dup.Number = "", "CZJ-2026-0006"
		if _, err := s.AddCarrier(ctx, dup); !errors.Is(err, data.ErrConflict) {
			t.Errorf("adding a second CZJ-2026-0006: %v, want conflict", err)
		}
	})

	t.Run("events of a carrier", func(t *testing.T) {
		evs, err := s.Events(ctx, byNumber["CZJ-2026-0001"].ID)
		if err != nil {
			t.Fatal(err)
		}
		type step struct {
			kind data.EventKind
			day  int
		}
		wantEvs := []step{{data.EventRegister, 2}, {data.EventLend, 12}, {data.EventReturn, 18}, {data.EventCopy, 20}}
		if len(evs) != len(wantEvs) {
			t.Fatalf("%d events, want %d: %+v", len(evs), len(wantEvs), evs)
		}
		for i, w := range wantEvs {
			if evs[i].Kind != w.kind || evs[i].On != data.NewDate(2026, 11, w.day) {
				t.Errorf("event %d = %s on %v, want %s on 2026-11-%02d", i, evs[i].Kind, evs[i].On, w.kind, w.day)
			}
		}
		if e := evs[1]; e.Borrower != "王五" || e.Approver != "赵局长" || e.DueOn != data.NewDate(2026, 11, 19) {
			t.Errorf("lend = %+v", e)
		}
		if e := evs[3]; len(e.CopyIDs) != 1 || e.CopyIDs[0] != byNumber["CZJ-2026-0001-F1"].ID {
			t.Errorf("copy event names %v", e.CopyIDs)
		}
		corrected, err := s.Events(ctx, byNumber["CZJ-2026-0008"].ID)
		if err != nil || len(corrected) != 3 || len(data.Active(corrected)) != 1 {
			t.Errorf("computer with a voided lend: %d events (%d active), %v", len(corrected), len(data.Active(corrected)), err)
		}
	})

	t.Run("today's code continues the chain", func(t *testing.T) {
		c := byNumber["CZJ-2026-0012"]
		if _, err := s.Record(ctx, data.Event{CarrierID: c.ID, Kind: data.EventStocktake, On: data.NewDate(2026, 11, 27),
			Operator: "张保密", Found: true}); err != nil {
			t.Fatal(err)
		}
		rep, err := s.Verify(ctx)
		if err != nil || rep.Head.Seq <= pinnedNov2026Seq {
			t.Errorf("verify after a new event: %+v, %v", rep.Head, err)
		}
	})
}
