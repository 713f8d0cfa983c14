package dstackcfg

import (
	"os"
	"path/filepath"
	"testing"
)

func benchDocs(b *testing.B) [][]byte {
	files, _ := filepath.Glob(filepath.Join(repoRoot(b), "examples", "*.dstack.yml"))
	var docs [][]byte
	for _, f := range files {
		d, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, d)
	}
	return docs
}

// BenchmarkParseClose: Parse and Close of each example (ns/op is per document).
func BenchmarkParseClose(b *testing.B) {
	docs := benchDocs(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, err := Parse(docs[i%len(docs)])
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}

// BenchmarkParseConfig: Parse, then the typed Config decoded from the dstack view.
func BenchmarkParseConfig(b *testing.B) {
	docs := benchDocs(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, err := Parse(docs[i%len(docs)])
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Config(); err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}
