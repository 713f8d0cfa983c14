package dstackcfg

import (
	"bytes"
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// sameJSON compares two JSON texts as values; numbers by their exact value
// (8 and 8.0 are the same).
func sameJSON(t testing.TB, a, b []byte) bool {
	t.Helper()
	return reflect.DeepEqual(decodeExact(t, a), decodeExact(t, b))
}

func decodeExact(t testing.TB, data []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, data)
	}
	return exactNumbers(v)
}

func exactNumbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		r, ok := new(big.Rat).SetString(string(x))
		if !ok {
			return string(x)
		}
		return r.RatString()
	case []any:
		for i := range x {
			x[i] = exactNumbers(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = exactNumbers(x[k])
		}
	}
	return v
}

var views = []View{ViewDstack, ViewEffective, ViewMinimal}

// checkAgainstCLI: every view of the binding is byte for byte what
// `dstackcfg normalize --view V` prints (pretty and --compact), the Config
// decodes strictly and marshals back to the dstack view. Returns false
// when the file is not valid (the CLI and the binding must agree on that).
func checkAgainstCLI(t *testing.T, path string) bool {
	t.Helper()
	s, perr := ParseFile(path)
	_, cerr := runCLI(t, "check", path)
	if (perr == nil) != (cerr == nil) {
		t.Errorf("%s: binding says %v, CLI says %v", path, perr, cerr)
		return false
	}
	if perr != nil {
		return false
	}
	defer s.Close()
	for _, v := range views {
		want, err := runCLI(t, "normalize", "--view", v.String(), path)
		if err != nil {
			t.Fatalf("%s: normalize --view %v: %v", path, v, err)
		}
		got, err := s.JSONIndent(v)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: view %v differs from the CLI's", path, v)
		}
		compact, _ := runCLI(t, "normalize", "--compact", "--view", v.String(), path)
		if got, _ := s.JSON(v); !bytes.Equal(bytes.TrimSpace(got), bytes.TrimSpace(compact)) {
			t.Errorf("%s: compact view %v differs from the CLI's", path, v)
		}
		yml, _ := runCLI(t, "normalize", "--output-format", "yaml", "--view", v.String(), path)
		if got, _ := s.YAML(v); !bytes.Equal(got, yml) {
			t.Errorf("%s: YAML view %v differs from the CLI's", path, v)
		}
	}
	c, err := s.Config()
	if err != nil {
		t.Errorf("%s: %v", path, err)
		return true
	}
	assertLossless(t, s, c)
	return true
}

func TestGoldenCasesMatchCLI(t *testing.T) {
	cli(t)
	inputs, _ := filepath.Glob(filepath.Join(repoRoot(t), "tests", "cases", "*", "input.*"))
	if len(inputs) == 0 {
		t.Fatal("no golden cases under tests/cases")
	}
	valid := 0
	for _, in := range inputs {
		if checkAgainstCLI(t, in) {
			valid++
			// the golden expectation, where the case has one
			exp := filepath.Join(filepath.Dir(in), "expected.json")
			if want, err := os.ReadFile(exp); err == nil {
				s, _ := ParseFile(in)
				got, _ := s.JSON(ViewDstack)
				s.Close()
				if !sameJSON(t, got, want) {
					t.Errorf("%s: dstack view differs from expected.json", in)
				}
			}
		}
	}
	t.Logf("%d golden cases, %d valid, compared in %d views", len(inputs), valid, len(views))
}

func TestCorpusMatchesCLI(t *testing.T) {
	cli(t)
	files, _ := filepath.Glob(filepath.Join(corpusDir(t), "*.yml"))
	valid := 0
	for _, f := range files {
		if checkAgainstCLI(t, f) {
			valid++
		}
	}
	t.Logf("%d corpus files, %d valid, compared in %d views", len(files), valid, len(views))
}
