package workspace

import (
	"context"
	"fmt"
	"os"
	"testing"

	"baomi/data"
	"baomi/data/vault"
)

// pinnedPassword unlocks the pinned data folders under testdata/ (a test
// fixture, not a secret: the folders hold made-up records).
const pinnedPassword = "Pinned-Folder-2026"

// TestWritePinnedFolder writes a small data folder through the real
// workspace API, to be kept under testdata/ and opened by every later
// version (#8 item 1). It runs only with BAOMI_WRITE_PINNED=1 and writes to
// BAOMI_PINNED_DIR (which must not exist yet), then prints the head to
// record in the opening test.
//
// testdata/pinned-2026-11 was written by this file run at commit d961cfe
// (the code before the Badger option change of #7 item 7), in a temporary
// worktree, with
//
//	BAOMI_WRITE_PINNED=1 BAOMI_PINNED_DIR=/tmp/pinned-2026-11 go test ./data/workspace -run TestWritePinnedFolder -v
//
// To pin a later format, run it the same way at that commit into a new
// testdata folder and add a test like
// TestPinnedFolderOfNovember2026OpensVerifiesAndLists for it.
func TestWritePinnedFolder(t *testing.T) {
	if os.Getenv("BAOMI_WRITE_PINNED") != "1" {
		t.Skip("writes a pinned data folder; set BAOMI_WRITE_PINNED=1 and BAOMI_PINNED_DIR")
	}
	dir := os.Getenv("BAOMI_PINNED_DIR")
	if dir == "" {
		t.Fatal("BAOMI_PINNED_DIR is not set")
	}
	if _, err := os.Stat(dir); err == nil {
		t.Fatalf("%s exists already; the generator writes only a new folder", dir)
	}
	ctx := context.Background()
	cfg := Config{KDF: vault.InsecureTestParams, NoGuard: true}
	ws, _, err := Setup(dir, data.Unit{Name: "某市财政局", Code: "CZJ", Superior: "某市保密局", Officer: "张保密"}, pinnedPassword, cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := ws.Store
	set := data.DefaultSettings()
	set.AutoLockMinutes = 15
	set.Classifications = append(set.Classifications, data.Classification{Name: "工作秘密", DefaultYears: 0})
	if err := s.SaveSettings(ctx, set); err != nil {
		t.Fatal(err)
	}

	d := func(day int) data.Date { return data.NewDate(2026, 11, day) }
	paper := func(n, title, level string, years int, doc string, day int) data.Carrier {
		return data.Carrier{Number: n, Title: title, Kind: data.KindPaper, Level: level, PeriodYears: years,
			Source: "某市人民政府办公室", DocNumber: doc, ReceivedOn: d(day), Copies: 1, CopyNumbers: "3", Pages: "12",
			Scope: "局领导、办公室", Custodian: "张保密", Location: "机要室保密柜1号"}
	}
	device := func(n, title, kind, level string, years int, model, serial string, day int) data.Carrier {
		return data.Carrier{Number: n, Title: title, Kind: kind, Level: level, PeriodYears: years, Source: "本单位",
			ReceivedOn: d(day), Copies: 1, Pages: "64GB", Custodian: "李四", Location: "信息中心", Model: model, Serial: serial}
	}
	want := []data.Carrier{
		paper("CZJ-2026-0001", "2027年度预算编制说明", "机密", 20, "某府办〔2026〕12号", 2),
		paper("CZJ-2026-0002", "关于加强保密管理工作的通知", "秘密", 10, "某保〔2026〕3号", 3),
		{Number: "CZJ-2026-0003", Title: "局务会议纪要（第12期）", Kind: data.KindPaper, Level: "秘密",
			DeclassifyOn: data.NewDate(2028, 12, 31), Source: "本单位", ReceivedOn: d(4), Copies: 5, CopyNumbers: "1-5",
			Pages: "4", Custodian: "张保密", Location: "机要室保密柜2号", Note: "会后收回"},
		{Number: "CZJ-2026-0004", Title: "重点项目资料光盘", Kind: data.KindDisc, Level: "秘密", PeriodYears: 10,
			Source: "市发改委", ReceivedOn: d(5), Copies: 1, Pages: "700MB", Custodian: "张保密", Location: "机要室保密柜1号"},
		{Number: "CZJ-2026-0005", Title: "内部资料备份光盘", Kind: data.KindDisc, Level: "内部", Source: "本单位",
			ReceivedOn: d(5), Copies: 2, CopyNumbers: "1-2", Pages: "4.7GB", Custodian: "李四", Location: "信息中心"},
		device("CZJ-2026-0006", "涉密U盘（办公室）", data.KindUSB, "机密", 20, "金士顿 DataTraveler 50 32GB", "KT2026A0001", 6),
		device("CZJ-2026-0007", "涉密U盘（预算科）", data.KindUSB, "秘密", 10, "朗科 U903 64GB", "NC-77-0042", 6),
		device("CZJ-2026-0008", "涉密计算机（机要室）", data.KindComputer, "机密", 20, "联想 启天M437", "PF3XK2A9", 7),
		device("CZJ-2026-0009", "涉密移动硬盘", data.KindDisk, "机密", 20, "希捷 Backup Plus 1TB", "NA8F2K1Q", 7),
		{Number: "CZJ-2026-0099", Title: "保密工作笔记本", Kind: data.KindNotebookOld, Level: "工作秘密", Source: "本单位",
			ReceivedOn: d(8), Copies: 1, Pages: "100页", Custodian: "张保密", Location: "机要室", Note: "编号登记错了，后改为 CZJ-2026-0010"},
	}
	ids := map[string]string{} // number -> id
	for _, c := range want {
		got, err := s.AddCarrier(ctx, c)
		if err != nil {
			t.Fatalf("add %s: %v", c.Number, err)
		}
		ids[c.Number] = got.ID
	}
	// the renumbered carrier: its old 编号 leaves the index
	nb, err := s.Carrier(ctx, ids["CZJ-2026-0099"])
	if err != nil {
		t.Fatal(err)
	}
	nb.Number = "CZJ-2026-0010"
	if _, err := s.UpdateCarrier(ctx, nb); err != nil {
		t.Fatal(err)
	}
	ids["CZJ-2026-0010"] = nb.ID

	// two carriers arrive by an all-or-nothing import (its journal is written and removed)
	adds := []data.Carrier{
		device("CZJ-2026-0011", "涉密传真机", data.KindFax, "秘密", 10, "松下 KX-FL328CN", "5JBCA012345", 9),
		{Number: "CZJ-2026-0012", Title: "涉密录音笔", Kind: data.KindOtherKind, Level: "秘密", PeriodYears: 10,
			Source: "本单位", ReceivedOn: d(9), Copies: 1, Custodian: "李四", Location: "办公室"},
	}
	if _, refused, err := s.Import(ctx, adds, nil, true, nil); err != nil || len(refused) > 0 {
		t.Fatalf("import: %v %v", refused, err)
	}

	ev := func(number string, kind data.EventKind, day int, fill func(*data.Event)) data.Event {
		id := ids[number]
		if id == "" {
			c, err := s.CarrierByNumber(ctx, number)
			if err != nil {
				t.Fatalf("%s: %v", number, err)
			}
			id = c.ID
		}
		e := data.Event{CarrierID: id, Kind: kind, On: d(day), Operator: "张保密"}
		if fill != nil {
			fill(&e)
		}
		got, err := s.Record(ctx, e)
		if err != nil {
			t.Fatalf("%s %s: %v", number, kind.Chinese(), err)
		}
		return got
	}
	ev("CZJ-2026-0001", data.EventLend, 12, func(e *data.Event) { e.Borrower, e.Approver, e.DueOn = "王五", "赵局长", d(19) })
	ev("CZJ-2026-0001", data.EventReturn, 18, func(e *data.Event) { e.CheckedBy, e.Condition = "张保密", "完好" })
	ev("CZJ-2026-0001", data.EventCopy, 20, func(e *data.Event) { e.Approver, e.CopyCount = "赵局长", 1 })
	ev("CZJ-2026-0002", data.EventCirculate, 13, func(e *data.Event) {
		e.Readers = []data.Reader{{Name: "赵局长", On: d(13)}, {Name: "钱副局长", On: d(14)}}
	})
	ev("CZJ-2026-0003", data.EventDestroy, 21, func(e *data.Event) {
		e.Approver, e.Method, e.Place, e.Witness = "赵局长", "粉碎", "机要室", "孙七"
	})
	ev("CZJ-2026-0004", data.EventHandover, 15, func(e *data.Event) { e.ToUnit, e.Approver, e.Courier = "市发改委", "赵局长", "周八" })
	ev("CZJ-2026-0005", data.EventLend, 24, func(e *data.Event) { e.Borrower, e.Approver, e.DueOn = "吴九", "赵局长", d(30) })
	ev("CZJ-2026-0006", data.EventStocktake, 25, func(e *data.Event) { e.Found, e.CheckedBy = true, "张保密" })
	ev("CZJ-2026-0007", data.EventStocktake, 25, func(e *data.Event) { e.Found, e.CheckedBy = false, "张保密" })
	wrong := ev("CZJ-2026-0008", data.EventLend, 16, func(e *data.Event) { e.Borrower, e.Approver, e.DueOn = "郑十", "赵局长", d(23) })
	ev("CZJ-2026-0008", data.EventCorrect, 17, func(e *data.Event) { e.Voids, e.Reason = wrong.ID, "借阅登记错了载体" })
	ev("CZJ-2026-0009", data.EventChange, 19, func(e *data.Event) {
		e.Approver, e.Reason, e.NewLevel, e.NewPeriodYears = "定密责任人", "内容调整，降低密级", "秘密", 10
	})
	ev("CZJ-2026-0002", data.EventDeclassify, 26, func(e *data.Event) { e.Approver, e.Reason = "定密责任人", "内容已公开" })

	if _, err := s.Verify(ctx); err != nil {
		t.Fatalf("verify: %v", err)
	}
	cs, err := s.Carriers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		fmt.Printf("%s\t%s\t%s\t%s\t%s\n", c.Number, c.Kind, c.Mark(), c.State, c.Title)
	}
	h := s.Head()
	fmt.Printf("head seq %d hash %s fingerprint %s\n", h.Seq, h.Hash, h.Fingerprint())
	if err := ws.Close(); err != nil {
		t.Fatal(err)
	}
}
