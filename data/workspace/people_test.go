package workspace_test

import (
	"errors"
	"testing"

	"baomi/data"
	"baomi/data/workspace"
	"baomi/data/workspace/wstest"
)

// The personnel register is the workspace's: people added through its
// data.PersonService are there, verified, after locking and unlocking.
func TestPeopleAddedThroughTheWorkspaceAreThereAfterUnlocking(t *testing.T) {
	dir := t.TempDir()
	const password = "Test-Password-2026"
	wstest.Folder(t, dir, wstest.Unit, password, wstest.Config, wstest.Carrier("CZJ-2026-0001"))
	ws, err := workspace.Unlock(dir, password, wstest.Config)
	if err != nil {
		t.Fatal(err)
	}
	var svc data.PersonService = ws
	li, err := svc.AddPerson(t.Context(), wstest.Person("李明", "RS-001"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddPerson(t.Context(), wstest.Person("王芳", "RS-001")); !errors.Is(err, data.ErrConflict) {
		t.Errorf("a second RS-001: %v, want a conflict", err)
	}
	if err := ws.Close(); err != nil {
		t.Fatal(err)
	}

	ws, err = workspace.Unlock(dir, password, wstest.Config)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	people, err := ws.People(t.Context())
	if err != nil || len(people) != 1 || people[0].ID != li.ID || people[0].Name != "李明" {
		t.Errorf("people after unlocking = %+v, %v", people, err)
	}
	// unit, settings, the carrier and its registration, the person and its registration
	if rep, err := ws.Verify(t.Context()); err != nil || rep.Records != 6 {
		t.Errorf("verify = %+v, %v; want 6 records", rep, err)
	}
}
