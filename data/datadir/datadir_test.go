package datadir

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"baomi/data"
)

func TestResolveOrder(t *testing.T) {
	exeDir := t.TempDir()
	exe := filepath.Join(exeDir, "baomi")
	portable := t.TempDir()
	pexe := filepath.Join(portable, "baomi")
	if err := os.WriteFile(filepath.Join(portable, PortableMarker), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, flag, env, exe, xdg string
		want                      string
		src                       Source
	}{
		{"flag wins over everything", "/x/flag", "/x/env", pexe, "/x/xdg", "/x/flag", FromFlag},
		{"env wins over portable", "", "/x/env", pexe, "/x/xdg", "/x/env", FromEnv},
		{"marker beside the executable makes it portable", "", "", pexe, "/x/xdg", filepath.Join(portable, PortableDir), FromPortable},
		{"XDG data home by default", "", "", exe, "/x/xdg", "/x/xdg/baomi", FromDefault},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(EnvVar, tt.env)
			t.Setenv("XDG_DATA_HOME", tt.xdg)
			got, src, err := Resolve(tt.flag, tt.exe)
			if err != nil || got != tt.want || src != tt.src {
				t.Errorf("Resolve = %q, %q, %v; want %q, %q", got, src, err, tt.want, tt.src)
			}
		})
	}
}

func TestSecondLockOnSameFolderIsRefused(t *testing.T) {
	dir := t.TempDir()
	release, err := Lock(dir)
	if err != nil {
		t.Fatal(err)
	}
	// another process tries the same folder
	cmd := exec.Command(os.Args[0], "-test.run=TestLockHelperProcess")
	cmd.Env = append(os.Environ(), "BAOMI_LOCK_HELPER="+dir)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 7 {
		t.Fatalf("second process: %v %s, want refusal as ErrAlreadyOpen (exit 7)", err, out)
	}
	release()
	cmd = exec.Command(os.Args[0], "-test.run=TestLockHelperProcess")
	cmd.Env = append(os.Environ(), "BAOMI_LOCK_HELPER="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("lock not released: %v %s", err, out)
	}
}

func TestLockHelperProcess(t *testing.T) {
	dir := os.Getenv("BAOMI_LOCK_HELPER")
	if dir == "" {
		t.Skip("helper process only")
	}
	_, err := Lock(dir)
	if errors.Is(err, data.ErrAlreadyOpen) {
		os.Exit(7)
	}
	if err != nil {
		os.Exit(8)
	}
	os.Exit(0)
}

func TestCheckChangesNothingAndNamesAMissingFolderOrAFile(t *testing.T) {
	root := t.TempDir()
	file := filepath.Join(root, "a-file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(root, "missing")
	if err := Check(root); err != nil {
		t.Errorf("Check(folder) = %v", err)
	}
	if err := Check(missing); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Check(missing) = %v, want fs.ErrNotExist", err)
	}
	if _, err := os.Stat(missing); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Check created %s", missing)
	}
	if err := Check(file); !errors.Is(err, ErrNotFolder) || !strings.Contains(data.Message(err), "是一个文件，不是文件夹") {
		t.Errorf("Check(file) = %v (%q), want ErrNotFolder", err, data.Message(err))
	}
}

func TestResolveWithoutAHomeFolderSaysWhatToDoInChinese(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the home folder comes from $HOME on Linux only")
	}
	t.Setenv(EnvVar, "")
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("HOME", "")
	_, _, err := Resolve("", "")
	if msg := data.Message(err); err == nil || !strings.Contains(msg, "--data") || !strings.Contains(msg, "主文件夹") {
		t.Errorf("Resolve without a home = %v, message %q", err, msg)
	}
}
