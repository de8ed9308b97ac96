package data

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// letterPerson is a person who left a 核心 post on 2026-03-01.
func letterPerson(level string) Person {
	return Person{Name: "张三", Gender: GenderMale, Department: "办公室", Post: "科长", Level: level,
		State: PersonLeft, LeftOn: NewDate(2026, 3, 1)}
}

func TestBuiltinLettersRenderWithEveryPlaceholderTheyUse(t *testing.T) {
	values := LetterValues(letterPerson(SecrecyCore), Unit{Name: "某市财政局"}, DefaultExitPeriods(), NewDate(2026, 11, 28), 7)
	kinds := map[string]bool{}
	for _, tpl := range BuiltinLetterTemplates() {
		t.Run(tpl.Kind, func(t *testing.T) {
			kinds[tpl.Kind] = true
			if err := CheckTemplate(tpl); err != nil {
				t.Fatalf("CheckTemplate: %v", err)
			}
			l, err := Render(tpl, values)
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			used := append(Placeholders(tpl.Title), Placeholders(tpl.Body)...)
			if len(used) < 4 {
				t.Errorf("uses only %v", used)
			}
			for _, ph := range used {
				if !strings.Contains(l.Title+l.Body, values[ph]) {
					t.Errorf("letter lacks the value %q of {%s}", values[ph], ph)
				}
			}
			if strings.ContainsAny(l.Title+l.Body, "{}") {
				t.Errorf("a brace is left:\n%s", l.Body)
			}
			body, sig := l.Paragraphs()
			if !strings.Contains(body[0], "郑重承诺：") {
				t.Errorf("preamble = %q, want it to end in 郑重承诺：", body[0])
			}
			clauses := 0
			for _, p := range body {
				for _, n := range []string{"一、", "二、", "三、", "四、", "五、", "六、"} {
					if strings.HasPrefix(p, "　　"+n) {
						clauses++
					}
				}
			}
			if clauses != 6 {
				t.Errorf("%d numbered clauses, want 6", clauses)
			}
			if !strings.Contains(body[len(body)-1], "承担") {
				t.Errorf("closing = %q, want it to accept responsibility", body[len(body)-1])
			}
			if len(sig) != 2 || !strings.HasPrefix(sig[0], "承诺人（签名）") || !strings.Contains(sig[1], "年　　月　　日") {
				t.Errorf("signature = %q", sig)
			}
		})
	}
	for _, k := range []string{LetterOnboard, LetterAnnual, LetterLeaving, LetterSpecial} {
		if !kinds[k] {
			t.Errorf("no built-in %s letter", k)
		}
	}
}

func TestLeavingLetterShowsTheExitPeriodOfTheLevelAndTheCarrierCount(t *testing.T) {
	var leaving LetterTemplate
	for _, tpl := range BuiltinLetterTemplates() {
		if tpl.Kind == LetterLeaving {
			leaving = tpl
		}
	}
	tests := []struct {
		level    string
		from, to string
	}{
		{SecrecyCore, "2026年3月2日", "2029年3月1日"},
		{SecrecyImportant, "2026年3月2日", "2028年3月1日"},
		{SecrecyGeneral, "2026年3月2日", "2027年3月1日"},
	}
	for _, tt := range tests {
		t.Run(tt.level, func(t *testing.T) {
			l, err := Render(leaving, LetterValues(letterPerson(tt.level), Unit{Name: "某市财政局"}, DefaultExitPeriods(), NewDate(2026, 3, 1), 12))
			if err != nil {
				t.Fatal(err)
			}
			if want := "脱密期自" + tt.from + "至" + tt.to; !strings.Contains(l.Body, want) {
				t.Errorf("body lacks %q:\n%s", want, l.Body)
			}
			if want := "共计12件"; !strings.Contains(l.Body, want) {
				t.Errorf("body lacks %q", want)
			}
		})
	}
}

func TestRenderRefusesUnknownUnmatchedAndUnfilledPlaceholders(t *testing.T) {
	values := map[string]string{PhName: "张三"}
	tests := []struct {
		name, body, want string
	}{
		{"unknown", "本人{姓明}承诺", "模板中有未知的占位符 {姓明}"},
		{"unclosed", "本人{姓名承诺", "没有对应的“}”"},
		{"closed on the next line", "本人{姓名\n}", "没有对应的“}”"},
		{"no value", "本人{姓名}，{部门}", "模板用到 {部门}，但没有它的值"},
		{"blank value", "{职务}", "模板用到 {职务}"},
	}
	values[PhPost] = "  "
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Render(LetterTemplate{Title: "承诺书", Body: tt.body}, values)
			var fe FieldErrors
			if !errors.As(err, &fe) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want FieldErrors", err)
			}
			if got := fe.For(FieldTemplate); !strings.Contains(got, tt.want) {
				t.Errorf("problem = %q, want it to contain %q", got, tt.want)
			}
		})
	}
	if _, err := Render(LetterTemplate{Title: "{年度}", Body: "x"}, values); err == nil || !strings.Contains(err.Error(), "{年度}") {
		t.Errorf("title placeholder without value: err = %v", err)
	}
}

func TestLetterValuesLeaveOutWhatThePersonLacks(t *testing.T) {
	p := Person{Name: "李四", Level: SecrecyGeneral, State: PersonOnPost}
	v := LetterValues(p, Unit{Name: "某局"}, DefaultExitPeriods(), NewDate(2026, 11, 28), 0)
	for _, k := range []string{PhDepartment, PhPost, PhGender, PhExitFrom, PhExitTo} {
		if _, ok := v[k]; ok {
			t.Errorf("value for {%s} = %q, want none", k, v[k])
		}
	}
	if v[PhYear] != "2026" || v[PhDate] != "2026年11月28日" || v[PhUnit] != "某局" || v[PhLevel] != "一般" {
		t.Errorf("values = %v", v)
	}
}

func FuzzRender(f *testing.F) {
	for _, tpl := range BuiltinLetterTemplates() {
		f.Add(tpl.Body)
	}
	for _, s := range []string{"", "{", "}", "{{姓名}}", "{姓明}", "{\n}", "{姓名", "\xff{\xfe}", "{日期}{日期}{日期}"} {
		f.Add(s)
	}
	values := map[string]string{}
	for _, ph := range LetterPlaceholders {
		values[ph] = strings.Repeat("值", 20) // 60 bytes, longer than any {name}
	}
	f.Fuzz(func(t *testing.T, body string) {
		l, err := Render(LetterTemplate{Body: body}, values)
		if err != nil {
			if len(err.Error()) > 2000 {
				t.Fatalf("message of %d bytes", len(err.Error()))
			}
			return
		}
		// Each placeholder is at least 4 bytes ({年度}: 8) and becomes 60.
		if len(l.Body) > 15*len(body)+1 {
			t.Fatalf("%d bytes rendered from %d", len(l.Body), len(body))
		}
		if utf8.ValidString(body) && !utf8.ValidString(l.Body) {
			t.Fatalf("valid UTF-8 in, invalid out")
		}
	})
}
