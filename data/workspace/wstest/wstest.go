// Package wstest makes data folders for tests of the programs built on the
// workspace (the window, the command line): set up with the cheap test key
// derivation, holding the unit and the carriers a test asks for, closed and
// ready to be unlocked. It is imported by tests only.
package wstest

import (
	"testing"

	"baomi/data"
	"baomi/data/vault"
	"baomi/data/workspace"
)

// Config is a workspace configuration with the cheap test key derivation
// (vault.InsecureTestParams) and no guard child, for fast tests.
var Config = workspace.Config{KDF: vault.InsecureTestParams, NoGuard: true}

// Unit is the unit Folder sets up unless told otherwise.
var Unit = data.Unit{Name: "某市财政局", Code: "CZJ", Officer: "张保密"}

// Carrier returns a valid paper carrier numbered number, received on
// 2026-01-02 and held by the unit's officer.
func Carrier(number string) data.Carrier {
	return data.Carrier{Number: number, Title: "档案" + number, Kind: data.KindPaper, Level: "秘密",
		PeriodYears: 10, ReceivedOn: data.NewDate(2026, 1, 2), Copies: 1, Custodian: Unit.Officer}
}

// Person returns a valid person on the post named name, numbered
// staffNumber ("" for none), at the 重要 level since 2025-03-01.
func Person(name, staffNumber string) data.Person {
	return data.Person{StaffNumber: staffNumber, Name: name, Department: "办公室", Post: "机要员",
		Level: data.SecrecyImportant, DeterminedOn: data.NewDate(2025, 3, 1), State: data.PersonOnPost}
}

// Folder sets up a data folder in dir for unit with password and cfg,
// registers carriers, closes it and returns the carriers as stored.
func Folder(t testing.TB, dir string, unit data.Unit, password string, cfg workspace.Config, carriers ...data.Carrier) []data.Carrier {
	t.Helper()
	ws, _, err := workspace.Setup(dir, unit, password, cfg)
	if err != nil {
		t.Fatalf("set up %s: %v", dir, err)
	}
	var out []data.Carrier
	for _, c := range carriers {
		stored, err := ws.AddCarrier(t.Context(), c)
		if err != nil {
			ws.Close()
			t.Fatalf("register %s: %v", c.Number, err)
		}
		out = append(out, stored)
	}
	if err := ws.Close(); err != nil {
		t.Fatalf("close %s: %v", dir, err)
	}
	return out
}

// Password is the password Open sets up.
const Password = "Baomi-Test-2026!"

// Open sets up a data folder in a temporary directory for Unit with
// Password and Config and returns its workspace, open, holding carriers
// and people as stored. The workspace is closed when the test ends, after
// the cleanups registered later (a screen's test shell waits there for
// its background work), so it must be called before those are made.
func Open(t testing.TB, carriers []data.Carrier, people []data.Person) *workspace.Workspace {
	t.Helper()
	ws, _, err := workspace.Setup(t.TempDir(), Unit, Password, Config)
	if err != nil {
		t.Fatalf("set up: %v", err)
	}
	t.Cleanup(func() { ws.Close() })
	for _, c := range carriers {
		if _, err := ws.AddCarrier(t.Context(), c); err != nil {
			t.Fatalf("register %s: %v", c.Number, err)
		}
	}
	for _, p := range people {
		if _, err := ws.AddPerson(t.Context(), p); err != nil {
			t.Fatalf("add %s: %v", p.Name, err)
		}
	}
	return ws
}
