package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"baomi/data"
)

// GenOptions sizes a generated register.
type GenOptions struct {
	Carriers int     // number of carriers
	Events   float64 // events per carrier on average, registration included (default 3)
	People   int     // distinct custodians and borrowers (default 5,000)
	Seed     uint64  // the same seed gives the same register
}

// Generate fills s with a realistic register for benchmarks and
// demonstrations: carriers of every kind and 密级 over a dozen years, with
// loans and returns, stocktakes, changes of 密级, destructions and hand-overs,
// some loans overdue. It writes through the audit chain in transactions of
// a few hundred records, as a bulk import would. progress, if not nil, is
// told how many carriers are done.
func Generate(ctx context.Context, s *Store, o GenOptions, progress func(done, total int)) error {
	if o.Events == 0 {
		o.Events = 3
	}
	if o.People == 0 {
		o.People = 5000
	}
	rng := rand.New(rand.NewPCG(o.Seed, 0x62616f6d69))
	people := genPeople(rng, o.People)
	unit, err := s.Unit(ctx)
	code := unit.Code
	if err != nil || code == "" {
		code = "BM"
	}
	now := s.opts.Now()
	today := data.DateOf(now)
	const chunk = 100
	for start := 0; start < o.Carriers; start += chunk {
		end := min(start+chunk, o.Carriers)
		err := s.update(ctx, func(t *tx) error {
			for i := start; i < end; i++ {
				if err := genCarrier(t, rng, i, code, people, o.Events, today, now); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("generate: %w", err)
		}
		if progress != nil {
			progress(end, o.Carriers)
		}
	}
	return nil
}

var (
	genSurnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	genGiven    = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰文辉建国新春海燕红梅志宏晓东雪峰鹏飞佳丹凤云亮林斌波宁琳晨浩宇欣怡")
	genTopics   = []string{"保密工作", "涉密人员管理", "年度预算", "安全生产", "干部任免", "重点项目", "网络安全", "应急预案", "审计整改", "采购计划", "党风廉政", "信访稳定", "统计数据", "规划编制", "机构改革"}
	genDocTypes = []string{"通知", "报告", "请示", "批复", "会议纪要", "实施方案", "意见", "函", "汇报材料", "工作要点"}
	genSources  = []string{"市委办公室", "市政府办公室", "市保密局", "省财政厅", "市发改委", "本单位办公室", "市审计局", "市公安局"}
	genKinds    = []struct {
		kind   string
		weight int
	}{{data.KindPaper, 70}, {data.KindDisc, 10}, {data.KindUSB, 8}, {data.KindDisk, 3}, {data.KindComputer, 5}, {data.KindFax, 1}, {data.KindNotebook, 2}, {data.KindOtherKind, 1}}
	genLevels = []struct {
		level  string
		years  int
		weight int
	}{{"绝密", 30, 2}, {"机密", 20, 28}, {"秘密", 10, 55}, {"内部", 0, 15}}
)

func genPeople(rng *rand.Rand, n int) []string {
	seen := map[string]bool{}
	out := make([]string, 0, n)
	for len(out) < n {
		name := string(genSurnames[rng.IntN(len(genSurnames))]) + string(genGiven[rng.IntN(len(genGiven))])
		if rng.IntN(2) == 0 {
			name += string(genGiven[rng.IntN(len(genGiven))])
		}
		if !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
		if len(seen) > 200000 {
			break
		}
	}
	return out
}

func genCarrier(t *tx, rng *rand.Rand, i int, code string, people []string, events float64, today data.Date, now time.Time) error {
	year := 2014 + rng.IntN(13)
	received := data.NewDate(year, time.Month(1+rng.IntN(12)), 1+rng.IntN(28))
	if today.Before(received) {
		received = today
	}
	w := rng.IntN(100)
	kind := genKinds[0].kind
	for _, k := range genKinds {
		if w < k.weight {
			kind = k.kind
			break
		}
		w -= k.weight
	}
	w = rng.IntN(100)
	lv := genLevels[2]
	for _, l := range genLevels {
		if w < l.weight {
			lv = l
			break
		}
		w -= l.weight
	}
	c := data.Carrier{
		ID: newID(), Number: fmt.Sprintf("%s-%d-%06d", code, year, i+1),
		Title: "关于" + genTopics[rng.IntN(len(genTopics))] + "的" + genDocTypes[rng.IntN(len(genDocTypes))],
		Kind:  kind, Level: lv.level, PeriodYears: lv.years, Source: genSources[rng.IntN(len(genSources))],
		DocNumber:  fmt.Sprintf("〔%d〕%d号", year, 1+rng.IntN(300)),
		ReceivedOn: received, Copies: 1 + rng.IntN(3), CopyNumbers: fmt.Sprint(1 + rng.IntN(10)),
		Scope: "本单位相关人员", Custodian: people[rng.IntN(len(people))],
		Location: fmt.Sprintf("保密柜%d号", 1+rng.IntN(40)), CreatedAt: now, UpdatedAt: now,
	}
	if kind == data.KindPaper {
		c.Pages = fmt.Sprintf("%d页", 1+rng.IntN(80))
	} else {
		c.Pages = fmt.Sprintf("%dGB", 4<<rng.IntN(6))
	}
	if data.IsDeviceKind(kind) {
		c.Model, c.Serial = "型号"+fmt.Sprint(100+rng.IntN(900)), fmt.Sprintf("SN%010d", rng.Int64N(1e10))
	}
	op := people[rng.IntN(len(people))]
	evs := []data.Event{{Kind: data.EventRegister, On: received, Operator: op}}
	day := received
	next := func() data.Date {
		d := data.DateOf(day.Time().AddDate(0, 0, 1+rng.IntN(120)))
		if today.Before(d) {
			d = today
		}
		day = d
		return d
	}
	n := int(events*2*rng.Float64()) + 1
	for len(evs) < n {
		switch r := rng.IntN(10); {
		case r < 5:
			on := next()
			evs = append(evs, data.Event{Kind: data.EventLend, On: on, Operator: op, Borrower: people[rng.IntN(len(people))],
				Approver: people[rng.IntN(len(people))], DueOn: data.DateOf(on.Time().AddDate(0, 0, 7+rng.IntN(21)))})
			if rng.IntN(20) > 0 || len(evs)+1 < n {
				evs = append(evs, data.Event{Kind: data.EventReturn, On: next(), Operator: op, CheckedBy: op, Condition: "完好"})
			}
		case r < 8:
			evs = append(evs, data.Event{Kind: data.EventStocktake, On: next(), Operator: op, Found: true})
		default:
			evs = append(evs, data.Event{Kind: data.EventCirculate, On: next(), Operator: op,
				Readers: []data.Reader{{Name: people[rng.IntN(len(people))], On: day}}})
		}
	}
	if data.Derive(evs).State == data.StateHeld {
		switch r := rng.IntN(100); {
		case r < 10:
			evs = append(evs, data.Event{Kind: data.EventDestroy, On: next(), Operator: op, Method: "粉碎", Place: "保密室",
				Witness: people[rng.IntN(len(people))], Approver: people[rng.IntN(len(people))]})
		case r < 13:
			evs = append(evs, data.Event{Kind: data.EventHandover, On: next(), Operator: op, ToUnit: genSources[rng.IntN(len(genSources))],
				Approver: people[rng.IntN(len(people))]})
		}
	}
	for k := range evs {
		evs[k].ID, evs[k].CarrierID, evs[k].RecordedAt = eventID(c.ID, k+1), c.ID, now
		if err := t.put(KindEvent, evs[k].ID, evs[k]); err != nil {
			return err
		}
	}
	applyLife(&c, data.Derive(evs))
	return t.put(KindCarrier, c.ID, c)
}
