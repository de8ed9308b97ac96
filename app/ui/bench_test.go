package ui

import (
	"fmt"
	"io"
	"log"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	baomitheme "baomi/app/theme"
	"baomi/data"
)

// syntheticSnapshot returns a register snapshot of n carriers with 5,000
// custodians, a tenth of them lent (some overdue).
func syntheticSnapshot(n int) *data.RegisterSnapshot {
	cs := make([]data.Carrier, n)
	for i := range cs {
		c := data.Carrier{ID: fmt.Sprintf("id%07d", i), Number: fmt.Sprintf("BM-%06d", i), // 编号 order, as the store keeps it
			Title: fmt.Sprintf("关于第%d号保密事项的通知", i), Kind: data.CarrierKinds[i%len(data.CarrierKinds)],
			Level: data.DefaultClassifications[i%3].Name, PeriodYears: data.DefaultClassifications[i%3].DefaultYears,
			State: data.StateHeld, Custodian: fmt.Sprintf("保密员%d", i%5000), Location: fmt.Sprintf("保密柜%d号", i%40),
			ReceivedOn: data.NewDate(2014+i%13, time.Month(1+i%12), 1+i%28), Copies: 1}
		if i%10 == 0 {
			c.State, c.Borrower, c.DueOn = data.StateLent, "借阅人", data.NewDate(2026, time.Month(1+i%12), 1)
		}
		cs[i] = c
	}
	return &data.RegisterSnapshot{Head: data.AuditHead{Seq: 3 * uint64(n), Hash: "ab"}, HasUnit: true,
		Unit: data.Unit{Name: "基准测试单位", Code: "BM", Officer: "基准测试员"}, Settings: data.DefaultSettings(), Carriers: cs}
}

// BenchmarkPreviewShows100k measures the window's part of "unlock to first
// rows" at 100,000 carriers: building the main window on the register
// snapshot (register, first selection, filters, alerts, table). The
// snapshot's reading is BenchmarkUnlockToFirstRows in data/store.
func BenchmarkPreviewShows100k(b *testing.B) {
	snap := syntheticSnapshot(100000)
	for i := 0; i < b.N; i++ {
		b.StopTimer() // a fresh window each time, as after unlocking
		fa := test.NewTempApp(b)
		fa.Settings().SetTheme(baomitheme.New())
		a := New(fa, Config{Dir: b.TempDir(), Logger: log.New(io.Discard, "", 0), Do: func(fn func()) { fn() }})
		b.StartTimer()
		a.previewed(snap)
		if a.main.carriers.Rows() != len(snap.Carriers) {
			b.Fatal("rows missing")
		}
	}
}
