package cli

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"baomi/app/version"
)

// TestCommandsLogNoFyneErrorInAnyLocale runs the built program's commands
// with BAOMI_DEBUG=1, so the standard logger is not silenced and anything
// Fyne's package init logs would show, under the locales that made it log
// "Fyne error: Error parsing user locale C" and those that did not.
func TestCommandsLogNoFyneErrorInAnyLocale(t *testing.T) {
	bin := buildBaomi(t)
	locales := []struct {
		name string
		env  []string
	}{
		{"LANG=C", []string{"LANG=C"}},
		{"LANG=C.UTF-8", []string{"LANG=C.UTF-8"}},
		{"LC_ALL=C", []string{"LC_ALL=C", "LANG=zh_CN.UTF-8"}},
		{"LC_ALL=C.UTF-8", []string{"LC_ALL=C.UTF-8"}},
		{"LANG=POSIX", []string{"LANG=POSIX"}},
		{"no locale", nil},
		{"LANG=zh_CN.UTF-8", []string{"LANG=zh_CN.UTF-8"}},
	}
	commands := []struct {
		args     []string
		code     int
		inStdout string
	}{
		{[]string{"version"}, 0, "Baomi " + version.Version},
		{[]string{"help"}, 0, "baomi verify"},
	}
	for _, loc := range locales {
		for _, c := range commands {
			t.Run(loc.name+"/"+strings.Join(c.args, " "), func(t *testing.T) {
				cmd := exec.Command(bin, c.args...)
				for _, kv := range os.Environ() {
					name, _, _ := strings.Cut(kv, "=")
					if !strings.HasPrefix(name, "LC_") && name != "LANG" && name != "LANGUAGE" && !strings.HasPrefix(name, "BAOMI_") {
						cmd.Env = append(cmd.Env, kv)
					}
				}
				cmd.Env = append(append(cmd.Env, loc.env...), "BAOMI_DEBUG=1")
				var out, errb bytes.Buffer
				cmd.Stdout, cmd.Stderr = &out, &errb
				code := 0
				var ee *exec.ExitError
				if err := cmd.Run(); errors.As(err, &ee) {
					code = ee.ExitCode()
				} else if err != nil {
					t.Fatal(err)
				}
				if code != c.code || !strings.Contains(out.String(), c.inStdout) || strings.Contains(errb.String(), "Fyne") {
					t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant exit %d, %q in stdout and nothing of Fyne's in stderr",
						code, out.String(), errb.String(), c.code, c.inStdout)
				}
			})
		}
	}
}

// TestCommandLineDoesNotDependOnFyne keeps the command line free of Fyne:
// none of its packages may pull in a fyne.io/ package, so no Fyne code is
// linked for its sake and its tests run without a window system.
func TestCommandLineDoesNotDependOnFyne(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "baomi/app/cli/...", "baomi/app/fynelocale").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	var fyne []string
	for _, p := range strings.Fields(string(out)) {
		if strings.HasPrefix(p, "fyne.io/") {
			fyne = append(fyne, p)
		}
	}
	if len(fyne) > 0 {
		t.Errorf("app/cli or app/fynelocale depends on Fyne: %s; keep Fyne in app/ui, app/theme and main", strings.Join(fyne, " "))
	}
}
