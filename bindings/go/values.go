package dstackcfg

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// lookup walks a decoded dstack view by path: a key is the text up to the
// next '.' or '['; "[N]" indexes a list.
func lookup(root any, path string) (any, bool, error) {
	v := root
	rest := path
	first := true
	for rest != "" {
		if rest[0] == '[' {
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return nil, false, fmt.Errorf("%w: not a valid field path: %q", ErrUsage, path)
			}
			i, err := strconv.Atoi(rest[1:end])
			if err != nil || i < 0 {
				return nil, false, fmt.Errorf("%w: not a valid field path: %q", ErrUsage, path)
			}
			list, ok := v.([]any)
			if !ok || i >= len(list) {
				return nil, false, nil
			}
			v, rest = list[i], rest[end+1:]
			first = false
			continue
		}
		if !first {
			if rest[0] != '.' {
				return nil, false, fmt.Errorf("%w: not a valid field path: %q", ErrUsage, path)
			}
			rest = rest[1:]
		}
		end := strings.IndexAny(rest, ".[")
		if end < 0 {
			end = len(rest)
		}
		key := rest[:end]
		if key == "" {
			return nil, false, fmt.Errorf("%w: not a valid field path: %q", ErrUsage, path)
		}
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false, nil
		}
		if v, ok = m[key]; !ok {
			return nil, false, nil
		}
		rest = rest[end:]
		first = false
	}
	if path == "" {
		return nil, false, fmt.Errorf("%w: not a valid field path: %q", ErrUsage, path)
	}
	return v, true, nil
}

// plain turns json.Number into int64, *big.Int or float64, recursively.
func plain(v any) any {
	switch x := v.(type) {
	case json.Number:
		s := string(x)
		if !strings.ContainsAny(s, ".eE") {
			if i, err := strconv.ParseInt(s, 10, 64); err == nil {
				return i
			}
			b, _ := new(big.Int).SetString(s, 10)
			return b
		}
		f, _ := strconv.ParseFloat(s, 64)
		return f
	case []any:
		for i := range x {
			x[i] = plain(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = plain(x[k])
		}
	}
	return v
}

func toFloat(v any) float64 {
	switch f := v.(type) {
	case float32:
		return float64(f)
	case float64:
		return f
	}
	return 0
}

// toInt64 is an integer of any Go integer type that fits int64.
func toInt64(v any) (int64, bool) {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int(), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if u := rv.Uint(); u <= math.MaxInt64 {
			return int64(u), true
		}
	}
	if i, ok := v.(Int); ok && i.big == nil {
		return i.small, true
	}
	return 0, false
}

// floatText is a float as YAML that reads back as that float (a dot or an
// exponent always; .nan and .inf as YAML spells them).
func floatText(f float64) string {
	switch {
	case math.IsNaN(f):
		return ".nan"
	case math.IsInf(f, 1):
		return ".inf"
	case math.IsInf(f, -1):
		return "-.inf"
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if strings.ContainsAny(s, "e") {
		mant, exp, _ := strings.Cut(s, "e")
		if !strings.Contains(mant, ".") {
			mant += ".0"
		}
		return mant + "e" + exp
	}
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// yamlText is a Go value as YAML flow text that the library reads back to
// the same value: strings quoted, floats with a dot, maps with sorted keys.
func yamlText(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "null", nil
	case bool:
		return strconv.FormatBool(x), nil
	case string:
		b, err := json.Marshal(x)
		return string(b), err
	case float32, float64:
		return floatText(toFloat(x)), nil
	case Int:
		return x.String(), nil
	case *Int:
		if x == nil {
			return "null", nil
		}
		return x.String(), nil
	case *big.Int:
		if x == nil {
			return "null", nil
		}
		return x.String(), nil
	case json.Number:
		return string(x), nil
	case json.RawMessage:
		return string(x), nil
	}
	if i, ok := toInt64(v); ok {
		return strconv.FormatInt(i, 10), nil
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Uint, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(rv.Uint(), 10), nil
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return "null", nil
		}
		if _, ok := v.(json.Marshaler); !ok {
			return yamlText(rv.Elem().Interface())
		}
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.IsNil() {
			return "null", nil
		}
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			break // []byte: as encoding/json writes it
		}
		items := make([]string, rv.Len())
		for i := range items {
			t, err := yamlText(rv.Index(i).Interface())
			if err != nil {
				return "", err
			}
			items[i] = t
		}
		return "[" + strings.Join(items, ", ") + "]", nil
	case reflect.Map:
		if rv.IsNil() {
			return "null", nil
		}
		if rv.Type().Key().Kind() != reflect.String {
			return "", fmt.Errorf("dstackcfg: map keys must be strings, not %s", rv.Type().Key())
		}
		keys := rv.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		items := make([]string, len(keys))
		for i, k := range keys {
			kt, _ := json.Marshal(k.String())
			t, err := yamlText(rv.MapIndex(k).Interface())
			if err != nil {
				return "", err
			}
			items[i] = string(kt) + ": " + t
		}
		return "{" + strings.Join(items, ", ") + "}", nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("dstackcfg: cannot set a value of type %T: %w", v, err)
	}
	return string(b), nil
}
