package restore

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"
)

// localeVars are the environment variables go-locale (and so Fyne) reads.
var localeVars = []string{"LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"}

// seen is what the helper process reports: the locale variables as main
// sees them, the word Fyne's localizer, chosen at init, gives "Cancel", and
// the locale Fyne reads from the environment when the window asks later
// (date entries, font fall-back).
type seen struct {
	Env    map[string]string
	Cancel string
	Locale string
}

// TestLocaleHelper is the child process of TestFyneInitialisesWithoutLocaleErrors.
func TestLocaleHelper(t *testing.T) {
	if os.Getenv("BAOMI_LOCALE_HELPER") != "1" {
		t.Skip("helper process of TestFyneInitialisesWithoutLocaleErrors")
	}
	s := seen{Env: map[string]string{}, Cancel: lang.L("Cancel"), Locale: lang.SystemLocale().String()}
	for _, v := range localeVars {
		if val, ok := os.LookupEnv(v); ok {
			s.Env[v] = val
		}
	}
	if err := json.NewEncoder(os.Stdout).Encode(s); err != nil {
		t.Fatal(err)
	}
}

func TestFyneInitialisesWithoutLocaleErrors(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		// cancel: Fyne's own word for Cancel, i.e. the language it chose
		cancel string
		// keepsLanguage: Fyne's later look-ups would log about the first
		// locale, so LANGUAGE=zh_CN stays set
		keepsLanguage bool
	}{
		{"LANG=C", map[string]string{"LANG": "C"}, "取消", false},
		{"LANG=C.UTF-8", map[string]string{"LANG": "C.UTF-8"}, "取消", false},
		{"LC_ALL=C", map[string]string{"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, "取消", false},
		{"LC_ALL=C.UTF-8", map[string]string{"LC_ALL": "C.UTF-8"}, "取消", false},
		{"LANG=POSIX", map[string]string{"LANG": "POSIX"}, "取消", false},
		{"no locale at all", map[string]string{}, "取消", false},
		{"LANGUAGE with a C entry keeps the good one", map[string]string{"LANG": "fr_FR.UTF-8", "LANGUAGE": "fr_FR:C"}, "Annuler", false},
		{"LANG=POSIX.UTF-8", map[string]string{"LANG": "POSIX.UTF-8"}, "取消", true},
		{"LANG=de_DE@euro", map[string]string{"LANG": "de_DE@euro"}, "取消", true},
		{"LANG=zh_CN.UTF-8 is left alone", map[string]string{"LANG": "zh_CN.UTF-8"}, "取消", false},
		{"LANG=en_US.UTF-8 is left alone", map[string]string{"LANG": "en_US.UTF-8"}, "Cancel", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestLocaleHelper$")
			for _, kv := range os.Environ() {
				name, _, _ := strings.Cut(kv, "=")
				if !strings.HasPrefix(name, "LC_") && name != "LANG" && name != "LANGUAGE" {
					cmd.Env = append(cmd.Env, kv)
				}
			}
			for k, v := range tt.env {
				cmd.Env = append(cmd.Env, k+"="+v)
			}
			cmd.Env = append(cmd.Env, "BAOMI_LOCALE_HELPER=1")
			var out, errb bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errb
			if err := cmd.Run(); err != nil {
				t.Fatalf("helper: %v\n%s%s", err, out.String(), errb.String())
			}
			if strings.Contains(errb.String()+out.String(), "Fyne error") {
				t.Errorf("Fyne logged an error while initialising:\n%s%s", errb.String(), out.String())
			}
			line, _, _ := strings.Cut(out.String(), "\n")
			var got seen
			if err := json.Unmarshal([]byte(line), &got); err != nil {
				t.Fatalf("helper output %q: %v", out.String(), err)
			}
			want := tt.env
			if tt.keepsLanguage {
				want = maps.Clone(tt.env)
				want["LANGUAGE"] = "zh_CN"
			}
			if !reflect.DeepEqual(got.Env, want) {
				t.Errorf("after init the locale variables are %v, want %v", got.Env, want)
			}
			if got.Locale == "" {
				t.Errorf("Fyne reads no locale later")
			}
			if got.Cancel != tt.cancel {
				t.Errorf("Fyne says Cancel as %q, want %q", got.Cancel, tt.cancel)
			}
		})
	}
}
