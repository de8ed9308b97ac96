package workspace

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"baomi/data"
)

func TestDraftIsSealedReopensAfterUnlockAndGoesWhenDeleted(t *testing.T) {
	dir := t.TempDir()
	ws, _, err := Setup(dir, data.Unit{Name: "单位", Code: "DW", Officer: "张三"}, pw, cfg)
	if err != nil {
		t.Fatal(err)
	}
	draft := []byte(`{"名称":"关于某绝密工程的请示"}`)
	if _, err := ws.Draft("carrier"); !errors.Is(err, data.ErrNotFound) {
		t.Fatalf("draft before any: %v, want not found", err)
	}
	if err := ws.SaveDraft("carrier", draft); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, draftPrefix+"carrier"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte("绝密工程")) {
		t.Fatal("the draft's title is readable in the file")
	}
	ws.Close()
	if _, err := ws.Draft("carrier"); !errors.Is(err, data.ErrLocked) {
		t.Errorf("draft of a locked workspace: %v, want locked", err)
	}

	ws, err = Unlock(dir, pw, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	got, err := ws.Draft("carrier")
	if err != nil || !bytes.Equal(got, draft) {
		t.Fatalf("draft after unlock = %q, %v", got, err)
	}
	// a draft file put in another form's place does not open there
	if err := os.WriteFile(filepath.Join(dir, draftPrefix+"person"), raw, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Draft("person"); !errors.Is(err, data.ErrCorrupt) {
		t.Errorf("moved draft: %v, want corrupt", err)
	}
	if err := ws.DeleteDraft("carrier"); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Draft("carrier"); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("deleted draft: %v, want not found", err)
	}
	if err := ws.DeleteDraft("carrier"); err != nil {
		t.Errorf("deleting no draft: %v", err)
	}
	if err := ws.SaveDraft("../vault", draft); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("draft named ../vault: %v, want invalid", err)
	}
}

// FuzzDraft writes any bytes as the draft file: Draft never panics, never
// returns a draft it did not seal, and says ErrCorrupt for all of them.
func FuzzDraft(f *testing.F) {
	dir := f.TempDir()
	ws, _, err := Setup(dir, data.Unit{Name: "单位", Code: "DW", Officer: "张三"}, pw, cfg)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { ws.Close() })
	if err := ws.SaveDraft("carrier", []byte(`{"编号":"A-1"}`)); err != nil {
		f.Fatal(err)
	}
	good, err := os.ReadFile(filepath.Join(dir, draftPrefix+"carrier"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:len(good)-1])
	f.Add([]byte{draftVersion})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, draftPrefix+"fuzz"), b, 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := ws.Draft("fuzz")
		if err == nil {
			t.Fatalf("a draft no one sealed opened: %q", got)
		}
		if !errors.Is(err, data.ErrCorrupt) {
			t.Fatalf("error %v, want ErrCorrupt", err)
		}
	})
}

func TestAnOversizedDraftFileIsRefusedWithoutReadingIt(t *testing.T) {
	dir := t.TempDir()
	ws, _, err := Setup(dir, data.Unit{Name: "单位", Code: "DW", Officer: "张三"}, pw, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if err := os.WriteFile(filepath.Join(dir, draftPrefix+"carrier"), make([]byte, maxDraft+5), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Draft("carrier"); !errors.Is(err, data.ErrCorrupt) {
		t.Errorf("oversized draft: %v, want ErrCorrupt", err)
	}
}
