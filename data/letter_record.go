package data

import (
	"context"
	"strings"
	"time"
)

// Field labels of a printed letter's record.
const (
	FieldLetterPerson = "承诺人"
	FieldLetterKind   = "承诺书类别"
	FieldLetterCopies = "份数"
	FieldLetterSigned = "签署日期"
)

// MaxLettersAtOnce is the most letters one print records (and prints):
// they are stored in one transaction, which Badger limits to 15% of the
// store's 4 MB memtable; batches of 2-copy letters with real IDs failed
// from about 850 on (measured), and half of that leaves room.
const MaxLettersAtOnce = 400

// LetterRecord is one 保密承诺书 printed for one person: which template
// and version it was filled from, for which year, how many copies, and
// when. SignedOn stays zero until the officer records the signed copy
// back.
type LetterRecord struct {
	ID              string    `json:"id"` // internal identifier, set by the store
	PersonID        string    `json:"personId"`
	TemplateID      string    `json:"templateId"`
	TemplateVersion int       `json:"templateVersion"`
	Kind            string    `json:"kind"` // LetterOnboard, LetterAnnual, LetterLeaving or LetterSpecial
	Year            int       `json:"year"` // the year the letter is dated in
	Copies          int       `json:"copies"`
	PrintedAt       time.Time `json:"printedAt,omitzero"` // set by the store
	SignedOn        Date      `json:"signedOn,omitzero"`  // zero until signed
	SignedBy        string    `json:"signedBy,omitempty"` // who recorded the signature
}

// Normalize trims the text fields.
func (r *LetterRecord) Normalize() {
	r.PersonID = strings.TrimSpace(r.PersonID)
	r.TemplateID = strings.TrimSpace(r.TemplateID)
	r.Kind = strings.TrimSpace(r.Kind)
}

// Validate reports what a letter record lacks: the person and template it
// was printed for, a known kind, and at least one copy.
func (r LetterRecord) Validate() error {
	var es FieldErrors
	if r.PersonID == "" {
		es = append(es, FieldError{FieldLetterPerson, "请说明承诺书是为哪一位涉密人员打印的"})
	}
	if r.TemplateID == "" || r.TemplateVersion < 1 {
		es = append(es, FieldError{FieldTemplate, "请说明承诺书用的是哪一个模板和版本"})
	}
	switch r.Kind {
	case LetterOnboard, LetterAnnual, LetterLeaving, LetterSpecial:
	default:
		es = append(es, FieldError{FieldLetterKind, "承诺书类别“" + r.Kind + "”不认识，应为上岗、年度、离岗或专项"})
	}
	if r.Copies < 1 {
		es = append(es, FieldError{FieldLetterCopies, "份数至少为 1"})
	}
	if len(es) > 0 {
		return es
	}
	return nil
}

// LetterService is what printing 保密承诺书 needs from storage.
type LetterService interface {
	// RecordLetters validates every record, gives each an ID and the
	// time, and stores them all with their audit entries in one
	// transaction: one invalid record and nothing is written.
	RecordLetters(ctx context.Context, records []LetterRecord) ([]LetterRecord, error)
	// Letters returns every letter record, oldest first.
	Letters(ctx context.Context) ([]LetterRecord, error)
	// MarkSigned records that the letters ids were signed on the day on,
	// recorded by operator, in one transaction with their audit entries.
	// A day before a letter was printed or after today, or an unknown
	// id, and nothing is written.
	MarkSigned(ctx context.Context, ids []string, on Date, operator string) ([]LetterRecord, error)
}
