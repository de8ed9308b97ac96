package datatest

import (
	"fmt"
	"time"

	"baomi/data"
)

// This file holds the sample carriers tests share. It imports data only:
// the documents (data/pdf) and the spreadsheets (data/xlsx) test with it
// and must never depend on the store or the vault.

// NumberPrefix starts the 编号 of every Carrier: BM-2026-000001 is
// Carrier(0).
const NumberPrefix = "BM-2026-"

// Borrower holds every lent Carrier.
const Borrower = "孙七"

// LongNote is the 备注 of every 7th Carrier: long enough to wrap in print.
const LongNote = "已按要求登记，定期清点，发现问题及时报告保密办。"

// Carrier returns carrier i (from 0) of a varied register as it is stored,
// valid against data.DefaultClassifications on any day of 2026: every
// kind in data.CarrierKinds order, every way of giving a 保密期限 (years,
// a 解密时间, a 解密条件, none for 内部; i%5 in that order, 机密★20年
// first), devices with a model and a serial, titles long enough to wrap in
// print, notes with a line break (i%4 == 2) and LongNote (i%7 == 0),
// blank 来源, 份号, 页数 and 知悉范围 in some rows, and every 11th carrier
// lent to Borrower. It is numbered NumberPrefix and i+1 in six digits, its
// ID is "id" and i in six digits.
func Carrier(i int) data.Carrier {
	kinds := data.CarrierKinds
	c := data.Carrier{
		ID:          fmt.Sprintf("id%06d", i),
		Number:      fmt.Sprintf("%s%06d", NumberPrefix, i+1),
		Title:       fmt.Sprintf("关于2026年度第%d批涉密载体清查与保密检查工作的通知", i%37+1),
		Kind:        kinds[i%len(kinds)],
		Source:      []string{"市保密局", "省财政厅办公室", "本单位制发", ""}[i%4],
		DocNumber:   fmt.Sprintf("市保〔2025〕%d号", i%97+1),
		ReceivedOn:  data.NewDate(2020+i%6, time.Month(1+i%12), 1+i%28),
		Copies:      1 + i%5,
		CopyNumbers: []string{"1", "1-5", "3", "", "2、4"}[i%5],
		Pages:       []string{"12", "4.7GB", "", "300页", "1"}[i%5],
		Scope:       []string{"办公室全体", "领导班子", "", "保密办"}[i%4],
		Custodian:   []string{"张三", "李四", "王五", "赵六", "欧阳明月"}[i%5],
		Location:    []string{"保密柜1号", "保密柜2号", "机要室A-3", "档案室"}[i%4],
		State:       data.StateHeld,
		Note:        []string{"", "原件", "第一行\n第二行", "（附件 3 份）"}[i%4],
	}
	switch i % 5 {
	case 0:
		c.Level, c.PeriodYears = "机密", 20
	case 1:
		c.Level, c.PeriodYears = "秘密", 10
	case 2:
		c.Level, c.DeclassifyOn = "秘密", data.NewDate(2035, 12, 31)
	case 3:
		c.Level, c.DeclassifyCondition = "绝密", "项目验收后"
	case 4:
		c.Level = "内部"
	}
	if i%7 == 0 {
		c.Note = LongNote
	}
	if i%11 == 0 {
		c.State, c.Borrower = data.StateLent, Borrower
	}
	if data.IsDeviceKind(c.Kind) {
		c.Model, c.Serial = "Kingston DT100", fmt.Sprintf("SN%08d", i)
	}
	return c
}

// Carriers returns Carrier(0) to Carrier(n-1).
func Carriers(n int) []data.Carrier {
	out := make([]data.Carrier, n)
	for i := range out {
		out[i] = Carrier(i)
	}
	return out
}

// NewCarrier returns a valid paper carrier numbered number as the 登记
// form gives it to be registered: no ID, state or derived field, and the
// same values whatever the number, so that a test changes only what it
// checks.
func NewCarrier(number string) data.Carrier {
	return data.Carrier{
		Number: number, Title: "关于加强保密管理工作的通知", Kind: data.KindPaper, Level: "机密",
		PeriodYears: 20, Source: "市保密局", DocNumber: "市保〔2026〕12号",
		ReceivedOn: data.NewDate(2026, 3, 5), Copies: 1, CopyNumbers: "3",
		Pages: "12页", Scope: "办公室", Custodian: "李四", Location: "保密柜2号",
	}
}
