package data

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Kinds of 保密承诺书 (domain.md §5).
const (
	LetterOnboard = "上岗" // on taking up a classified post
	LetterAnnual  = "年度" // the yearly letter of people on the post
	LetterLeaving = "离岗" // on leaving, with the 脱密期
	LetterSpecial = "专项" // for one classified task or event
)

// FieldTemplate is the label FieldErrors use for a letter template's text.
const FieldTemplate = "承诺书模板"

// Placeholders a letter template may use, in the order an editor offers
// them. LetterValues fills each of them.
const (
	PhName         = "姓名"
	PhGender       = "性别"
	PhDepartment   = "部门"
	PhPost         = "职务"
	PhLevel        = "涉密等级"
	PhUnit         = "单位"
	PhYear         = "年度"
	PhExitFrom     = "脱密期起"
	PhExitTo       = "脱密期止"
	PhReturned     = "清退载体数"
	PhDate         = "日期"
	maxPlaceholder = 16 // runes; the longest known name has 5
)

// LetterPlaceholders lists every placeholder name a template may use.
var LetterPlaceholders = []string{PhName, PhGender, PhDepartment, PhPost, PhLevel, PhUnit,
	PhYear, PhExitFrom, PhExitTo, PhReturned, PhDate}

// LetterTemplate is the text of one kind of 保密承诺书. Title and Body may
// hold placeholders written {姓名}. Body is paragraphs separated by "\n":
// paragraphs beginning with two ideographic spaces are body text; the
// first one without them and all after it are the signature block at the
// foot of the letter.
type LetterTemplate struct {
	ID      string `json:"id"`
	Kind    string `json:"kind"` // LetterOnboard, LetterAnnual, LetterLeaving or LetterSpecial
	Title   string `json:"title"`
	Body    string `json:"body"`
	Version int    `json:"version"` // 1 for the built-ins; each saved edit adds one
}

// Letter is a template filled in for one person: the text as printed.
type Letter struct {
	TemplateID string
	Version    int
	Kind       string
	Title      string
	Body       string // paragraphs separated by "\n", as in LetterTemplate
}

// Paragraphs returns the letter's body paragraphs (the indented ones) and
// its signature lines (from the first paragraph not indented on), each in
// order; blank lines in the signature block are dropped.
func (l Letter) Paragraphs() (body, signature []string) {
	for _, p := range strings.Split(l.Body, "\n") {
		switch {
		case signature == nil && strings.HasPrefix(p, "　　"):
			body = append(body, p)
		case strings.TrimSpace(p) != "":
			signature = append(signature, p)
		}
	}
	return body, signature
}

// The clauses every letter shares: obey the law, accept vetting and
// management, keep carriers only as allowed, disclose nothing, publish
// nothing unapproved.
const (
	clauseLaw      = "　　一、认真遵守《中华人民共和国保守国家秘密法》及其实施条例和本单位保密规章制度，履行保密义务。"
	clauseVetting  = "　　二、自愿接受保密审查和保密教育培训，服从本单位保密工作机构的管理与监督检查。"
	clauseCarriers = "　　三、不违规记录、存储、复制国家秘密信息，不违规留存涉密载体，不在非涉密计算机和互联网上处理涉密信息。"
	clauseSilence  = "　　四、不以任何方式泄露所知悉的国家秘密，不向无关人员打听、谈论涉密事项。"
	clausePublish  = "　　五、未经本单位审查批准，不擅自发表涉及本单位未公开工作内容的文章、著述，不接受涉及本单位工作的采访。"
	signature      = "承诺人（签名）：\n年　　月　　日"
)

// BuiltinLetterTemplates returns the four templates Baomi ships, version 1.
func BuiltinLetterTemplates() []LetterTemplate {
	return []LetterTemplate{
		{ID: "builtin-onboard", Kind: LetterOnboard, Version: 1, Title: "涉密人员上岗保密承诺书",
			Body: strings.Join([]string{
				"　　本人{姓名}，在{单位}{部门}担任{职务}，确定为{涉密等级}涉密人员。本人已知悉所任岗位的保密责任，自{日期}上岗之日起，郑重承诺：",
				clauseLaw, clauseVetting, clauseCarriers, clauseSilence, clausePublish,
				"　　六、离岗离职时，主动清退所持有和使用的全部涉密载体，并按规定接受脱密期管理。",
				"　　本人如违反上述承诺，自愿承担党纪政纪责任和法律后果。",
				signature,
			}, "\n")},
		{ID: "builtin-annual", Kind: LetterAnnual, Version: 1, Title: "涉密人员{年度}年度保密承诺书",
			Body: strings.Join([]string{
				"　　本人{姓名}，在{单位}{部门}担任{职务}，为{涉密等级}涉密人员。在{年度}年度内，本人郑重承诺：",
				clauseLaw, clauseVetting, clauseCarriers, clauseSilence, clausePublish,
				"　　六、离岗离职时，主动清退所持有和使用的全部涉密载体，并按规定接受脱密期管理。",
				"　　本人如违反上述承诺，自愿承担党纪政纪责任和法律后果。",
				signature,
			}, "\n")},
		{ID: "builtin-leaving", Kind: LetterLeaving, Version: 1, Title: "涉密人员离岗保密承诺书",
			Body: strings.Join([]string{
				"　　本人{姓名}，原在{单位}{部门}担任{职务}，为{涉密等级}涉密人员，现离开涉密岗位。本人已将所持有和使用的全部涉密载体清退本单位，共计{清退载体数}件，无遗漏、无留存。本人郑重承诺：",
				clauseLaw, clauseVetting, clauseCarriers, clauseSilence, clausePublish,
				"　　六、自觉遵守脱密期管理规定，脱密期自{脱密期起}至{脱密期止}。脱密期内未经审批不出境，不到境外驻华机构、组织或者外资企业工作，不为境外组织人员或者外资企业提供劳务、咨询或者服务。",
				"　　本人如违反上述承诺，自愿承担党纪政纪责任和法律后果。",
				signature,
			}, "\n")},
		{ID: "builtin-special", Kind: LetterSpecial, Version: 1, Title: "专项工作保密承诺书",
			Body: strings.Join([]string{
				"　　本人{姓名}，在{单位}{部门}担任{职务}，参与本单位涉密专项工作。自{日期}起，对工作中知悉的国家秘密和工作秘密，本人郑重承诺：",
				clauseLaw, clauseVetting, clauseCarriers, clauseSilence, clausePublish,
				"　　六、专项工作结束或者本人退出时，主动清退全部涉密载体，并遵守脱密期管理规定。",
				"　　本人如违反上述承诺，自愿承担党纪政纪责任和法律后果。",
				signature,
			}, "\n")},
	}
}

// LetterValues returns the placeholder values for p's letter dated on:
// the unit's name, the year of on, and for a person who has left the
// 脱密期 from the day after the 离岗日期 to its last day (ExitEnd) under
// periods. returned is the number of carriers the person gave back. A
// field p leaves empty gets no value, so a template using it is refused
// by Render rather than printed with a gap.
func LetterValues(p Person, u Unit, periods ExitPeriods, on Date, returned int) map[string]string {
	v := map[string]string{
		PhYear:     strconv.Itoa(on.Time().Year()),
		PhDate:     on.Chinese(),
		PhReturned: strconv.Itoa(returned),
	}
	set := func(k, s string) {
		if s = strings.TrimSpace(s); s != "" {
			v[k] = s
		}
	}
	set(PhName, p.Name)
	set(PhGender, p.Gender)
	set(PhDepartment, p.Department)
	set(PhPost, p.Post)
	set(PhLevel, p.Level)
	set(PhUnit, u.Name)
	if end := p.ExitEnd(periods); !end.IsZero() {
		v[PhExitFrom] = DateOf(p.LeftOn.Time().AddDate(0, 0, 1)).Chinese()
		v[PhExitTo] = end.Chinese()
	}
	if on.IsZero() {
		delete(v, PhYear)
		delete(v, PhDate)
	}
	return v
}

// isPlaceholder reports whether name is a known placeholder.
func isPlaceholder(name string) bool {
	for _, p := range LetterPlaceholders {
		if p == name {
			return true
		}
	}
	return false
}

// templatePart is a run of literal text or, when ph, a placeholder name.
type templatePart struct {
	text string
	ph   bool
}

// parseTemplate splits text into literal runs and placeholders. It
// refuses an unknown placeholder and a "{" without its "}" on the same
// line, naming each in a FieldError on FieldTemplate.
func parseTemplate(text string) ([]templatePart, FieldErrors) {
	var parts []templatePart
	var errs FieldErrors
	seen := map[string]bool{}
	refuse := func(msg string) {
		if !seen[msg] && len(errs) < 10 { // one sentence per problem, and a bounded message
			seen[msg] = true
			errs = append(errs, FieldError{FieldTemplate, msg})
		}
	}
	for text != "" {
		i := strings.IndexByte(text, '{')
		if i < 0 {
			parts = append(parts, templatePart{text: text})
			break
		}
		if i > 0 {
			parts = append(parts, templatePart{text: text[:i]})
		}
		rest := text[i+1:]
		j := strings.IndexAny(rest, "{}\n")
		if j < 0 || rest[j] != '}' {
			refuse("有一个“{”没有对应的“}”，占位符应写成 {姓名} 这样")
			parts = append(parts, templatePart{text: "{"})
			text = rest
			continue
		}
		name := rest[:j]
		switch {
		case isPlaceholder(name):
			parts = append(parts, templatePart{text: name, ph: true})
		case utf8.RuneCountInString(name) > maxPlaceholder || !utf8.ValidString(name):
			refuse("有一个“{”没有对应的“}”，占位符应写成 {姓名} 这样")
		default:
			refuse(fmt.Sprintf("模板中有未知的占位符 {%s}，可用的占位符有 {%s}", name, strings.Join(LetterPlaceholders, "} {")))
		}
		text = rest[j+1:]
	}
	return parts, errs
}

// CheckTemplate returns FieldErrors naming every unknown placeholder and
// unmatched brace in t's title and body, or nil.
func CheckTemplate(t LetterTemplate) error {
	_, e1 := parseTemplate(t.Title)
	_, e2 := parseTemplate(t.Body)
	if errs := append(e1, e2...); len(errs) > 0 {
		return errs
	}
	return nil
}

// Placeholders returns the placeholder names text uses, each once, in
// the order they first appear; unknown ones are left out.
func Placeholders(text string) []string {
	parts, _ := parseTemplate(text)
	var names []string
	for _, p := range parts {
		if p.ph && !contains(names, p.text) {
			names = append(names, p.text)
		}
	}
	return names
}

// fill replaces the placeholders of text with values.
func fill(text string, values map[string]string) (string, FieldErrors) {
	parts, errs := parseTemplate(text)
	var b strings.Builder
	for _, p := range parts {
		if !p.ph {
			b.WriteString(p.text)
			continue
		}
		v, ok := values[p.text]
		if !ok || strings.TrimSpace(v) == "" {
			msg := fmt.Sprintf("模板用到 {%s}，但没有它的值，请先在人员或单位信息中填写", p.text)
			if !contains(errs.problems(), msg) {
				errs = append(errs, FieldError{FieldTemplate, msg})
			}
			continue
		}
		b.WriteString(v)
	}
	return b.String(), errs
}

// problems returns the Problem of each error.
func (es FieldErrors) problems() []string {
	ps := make([]string, len(es))
	for i, e := range es {
		ps[i] = e.Problem
	}
	return ps
}

// Render fills t's title and body with values. It refuses, with
// FieldErrors naming each, an unknown placeholder, an unmatched "{" and a
// placeholder used without a (non-blank) value.
func Render(t LetterTemplate, values map[string]string) (Letter, error) {
	title, e1 := fill(t.Title, values)
	body, e2 := fill(t.Body, values)
	if errs := append(e1, e2...); len(errs) > 0 {
		return Letter{}, errs
	}
	return Letter{TemplateID: t.ID, Version: t.Version, Kind: t.Kind, Title: title, Body: body}, nil
}
