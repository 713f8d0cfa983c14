package dstackcfg

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// repoRoot is the repository, two folders up from the package.
func repoRoot(t testing.TB) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// buildDir is the meson build tree: $DSTACKCFG_BUILD_DIR or build/.
func buildDir(t testing.TB) string {
	if d := os.Getenv("DSTACKCFG_BUILD_DIR"); d != "" {
		return d
	}
	return filepath.Join(repoRoot(t), "build")
}

// cli is the dstackcfg command of the build tree; the test is skipped without it.
func cli(t testing.TB) string {
	t.Helper()
	p := filepath.Join(buildDir(t), "cli", "dstackcfg")
	if _, err := os.Stat(p); err != nil {
		t.Skipf("no %s: build the library first (meson setup build && ninja -C build)", p)
	}
	return p
}

// corpusDir is ../shared/corpus/dstack-docs beside the repository; the test
// is skipped when it is absent.
func corpusDir(t testing.TB) string {
	t.Helper()
	d := filepath.Join(repoRoot(t), "..", "shared", "corpus", "dstack-docs")
	if _, err := os.Stat(d); err != nil {
		t.Skipf("corpus %s absent", d)
	}
	return d
}

func runCLI(t testing.TB, args ...string) ([]byte, error) {
	t.Helper()
	return exec.Command(cli(t), args...).Output()
}

func mustParse(t testing.TB, text string, opts ...Option) *Service {
	t.Helper()
	s, err := Parse([]byte(text), opts...)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func example(t testing.TB, name string) string {
	return filepath.Join(repoRoot(t), "examples", name)
}
