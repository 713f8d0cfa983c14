package bench

import (
	"os"
	"path/filepath"
	"testing"

	"dstackcfg"

	"gopkg.in/yaml.v3"
)

// docs are the valid documents of ../shared/corpus/dstack-docs beside the
// repository, or the repository's examples when it is absent.
func docs(b *testing.B) [][]byte {
	b.Helper()
	root, _ := filepath.Abs("../../..")
	files, _ := filepath.Glob(filepath.Join(root, "..", "shared", "corpus", "dstack-docs", "*.yml"))
	if len(files) == 0 {
		files, _ = filepath.Glob(filepath.Join(root, "examples", "*.dstack.yml"))
	}
	var out [][]byte
	for _, f := range files {
		d, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		if len(d) > 0 && cParse(d) {
			out = append(out, d)
		}
	}
	if len(out) == 0 {
		b.Fatal("no documents")
	}
	b.Logf("%d documents", len(out))
	return out
}

// BenchmarkBinding: dstackcfg.Parse and Close (ns/op per document).
func BenchmarkBinding(b *testing.B) {
	ds := docs(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, err := dstackcfg.Parse(ds[i%len(ds)])
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}

// BenchmarkBindingConfig: Parse, the typed Config, Close.
func BenchmarkBindingConfig(b *testing.B) {
	ds := docs(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, err := dstackcfg.Parse(ds[i%len(ds)])
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Config(); err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}

// BenchmarkCDirect: the C parse and free alone, through one cgo call each.
func BenchmarkCDirect(b *testing.B) {
	ds := docs(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if !cParse(ds[i%len(ds)]) {
			b.Fatal("invalid")
		}
	}
}

// BenchmarkYAMLv3: gopkg.in/yaml.v3 into map[string]any (no validation, no defaults).
func BenchmarkYAMLv3(b *testing.B) {
	ds := docs(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var m map[string]any
		if err := yaml.Unmarshal(ds[i%len(ds)], &m); err != nil {
			b.Fatal(err)
		}
	}
}
