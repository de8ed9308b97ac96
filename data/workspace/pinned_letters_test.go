package workspace

import (
	"testing"

	"baomi/data"
	"baomi/data/vault"
)

// A data folder written before the letter kind existed opens unchanged
// with no letters in it (its carriers, events and outputs do not decode
// as letters), and today's code records a printed letter in its chain.
func TestPinnedFolderOfNovember2026HasNoLettersAndRecordsOne(t *testing.T) {
	dir := copyPinned(t, pinnedNov2026)
	ws, err := Unlock(dir, pinnedPassword, Config{KDF: vault.InsecureTestParams, NoGuard: true})
	if err != nil {
		t.Fatalf("unlock: %v", err)
	}
	defer ws.Close()
	ctx := t.Context()
	if letters, err := ws.Letters(ctx); err != nil || len(letters) != 0 {
		t.Fatalf("the pinned folder lists %d letters, %v; want none", len(letters), err)
	}
	rec := data.LetterRecord{PersonID: "p1", TemplateID: "builtin-onboard", TemplateVersion: 1,
		Kind: data.LetterOnboard, Year: 2026, Copies: 2}
	if _, err := ws.RecordLetters(ctx, []data.LetterRecord{rec}); err != nil {
		t.Fatal(err)
	}
	rep, err := ws.Verify(ctx)
	if err != nil || rep.Head.Seq != pinnedNov2026Seq+1 {
		t.Errorf("verify after recording a letter: %+v, %v; want head #%d", rep, err, pinnedNov2026Seq+1)
	}
	if letters, err := ws.Letters(ctx); err != nil || len(letters) != 1 || letters[0].Kind != data.LetterOnboard {
		t.Errorf("letters after recording one: %+v, %v", letters, err)
	}
}
