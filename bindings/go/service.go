package dstackcfg

/*
#include <stdlib.h>
#include <dstackcfg/dstackcfg.h>
*/
import "C"

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"unsafe"
)

// View is a form in which a configuration is serialized.
type View int

const (
	// ViewDstack is exactly dstack's model_dump(mode="json"): every field,
	// nulls and defaults included.
	ViewDstack View = C.DCFG_VIEW_DSTACK
	// ViewEffective is the dstack view with what dstack resolves later on the
	// server or client written in (https true, stop_duration 300, the default
	// probe of an OpenAI model, one replica, ...).
	ViewEffective View = C.DCFG_VIEW_EFFECTIVE
	// ViewMinimal is only what is set, in the shortest form that reads back
	// to the same configuration: what `dstackcfg fmt` writes.
	ViewMinimal View = C.DCFG_VIEW_MINIMAL
)

// String is the view's name as the command line tool spells it.
func (v View) String() string {
	switch v {
	case ViewDstack:
		return "dstack"
	case ViewEffective:
		return "effective"
	case ViewMinimal:
		return "minimal"
	}
	return fmt.Sprintf("View(%d)", int(v))
}

// Service is a validated and defaulted dstack service configuration, or
// one being built with [New]. It owns C memory: call Close when done.
// Its methods may be called from several goroutines at once.
type Service struct {
	mu       sync.Mutex
	ptr      *C.dcfg_config
	warnings []Diagnostic
	source   string
}

func wrap(p *C.dcfg_config, warnings []Diagnostic, source string) *Service {
	s := &Service{ptr: p, warnings: warnings, source: source}
	runtime.SetFinalizer(s, (*Service).free)
	return s
}

func (s *Service) free() {
	if s.ptr != nil {
		C.dcfg_config_free(s.ptr)
		s.ptr = nil
	}
}

// Close frees the C object. Closing again is a no-op; other methods then
// return ErrClosed.
func (s *Service) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.free()
	runtime.SetFinalizer(s, nil)
	return nil
}

// with runs fn on the live C object, under the Service's lock.
func (s *Service) with(fn func(p *C.dcfg_config) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ptr == nil {
		return ErrClosed
	}
	err := fn(s.ptr)
	runtime.KeepAlive(s)
	return err
}

// Parse reads a configuration from YAML or JSON text, validates it and
// applies dstack's defaults. On failure the error is an [*Error] with every
// diagnostic. Warnings of a successful parse are on [Service.Warnings].
func Parse(data []byte, opts ...Option) (*Service, error) {
	o := parseOptions(opts)
	copts, done := o.c()
	defer done()
	var cfg *C.dcfg_config
	var diags *C.dcfg_diags
	p, n := cbytes(data)
	st := status(C.dcfg_config_parse(&cfg, &diags, p, n, copts))
	runtime.KeepAlive(data)
	found := takeDiags(diags)
	if st != statusOK {
		return nil, errorFor(st, "parse", found)
	}
	return wrap(cfg, found, o.sourceName()), nil
}

// ParseFile is [Parse] on a file's contents; the source name of the
// diagnostics is the path unless WithSourceName says otherwise. A file that
// cannot be read gives an error matching ErrIO (and the os error's text).
func ParseFile(path string, opts ...Option) (*Service, error) {
	o := parseOptions(opts)
	if !o.hasSource {
		o.source, o.hasSource = path, true
	}
	copts, done := o.c()
	defer done()
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	var cfg *C.dcfg_config
	var diags *C.dcfg_diags
	st := status(C.dcfg_config_parse_file(&cfg, &diags, cpath, copts))
	found := takeDiags(diags)
	if st == statusIO {
		e := &Error{Op: "parse " + path, Diagnostics: found, status: st}
		if f, err := os.Open(path); err != nil {
			e.cause = err
		} else {
			f.Close()
		}
		return nil, e
	}
	if st != statusOK {
		return nil, errorFor(st, "parse "+path, found)
	}
	return wrap(cfg, found, o.source), nil
}

// New is an empty configuration holding only `type: service`, to be filled
// with [Service.Set]. It validates once `port` and `commands` or `image` are set.
func New() (*Service, error) { return newWith(nil) }

func newWith(al *C.dcfg_allocator) (*Service, error) {
	var cfg *C.dcfg_config
	if st := status(C.dcfg_config_new(&cfg, al)); st != statusOK {
		return nil, errorFor(st, "new", nil)
	}
	return wrap(cfg, nil, ""), nil
}

// Warnings are the warning diagnostics of the parse (a key written twice,
// unknown keys with WithUnknown(UnknownWarn)).
func (s *Service) Warnings() []Diagnostic {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Diagnostic(nil), s.warnings...)
}

// Source is the source name diagnostics use: the file, the WithSourceName
// name, "<input>" for Parse without one, "" for New.
func (s *Service) Source() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.source
}

// emit serializes under the lock; a configuration being built that does
// not validate gives its validation error.
func (s *Service) emit(view View, format C.dcfg_format, flags C.uint) ([]byte, error) {
	var out []byte
	err := s.with(func(p *C.dcfg_config) error {
		var text *C.char
		var n C.size_t
		st := status(C.dcfg_config_emit(&text, &n, p, C.dcfg_view(view), format, flags))
		if st == statusInvalid {
			var diags *C.dcfg_diags
			C.dcfg_config_validate(p, &diags)
			return errorFor(st, "emit", takeDiags(diags))
		}
		if st == statusUsage {
			return fmt.Errorf("%w: unknown view %v", ErrUsage, view)
		}
		if st != statusOK {
			return errorFor(st, "emit", nil)
		}
		out = takeBytes(text, n)
		return nil
	})
	return out, err
}

// JSON is the configuration as compact JSON in a view.
func (s *Service) JSON(view View) ([]byte, error) { return s.emit(view, C.DCFG_FORMAT_JSON, 0) }

// JSONIndent is the configuration as JSON indented by two spaces, with a
// final newline: what `dstackcfg normalize --view VIEW` prints.
func (s *Service) JSONIndent(view View) ([]byte, error) {
	return s.emit(view, C.DCFG_FORMAT_JSON, C.DCFG_EMIT_PRETTY)
}

// YAML is the configuration as block-style YAML in a view. It loads back
// (PyYAML's safe_load and YAML 1.2 readers) to the same values.
func (s *Service) YAML(view View) ([]byte, error) { return s.emit(view, C.DCFG_FORMAT_YAML, 0) }

// MarshalJSON is the dstack view: dstack's model_dump(mode="json").
func (s *Service) MarshalJSON() ([]byte, error) { return s.JSON(ViewDstack) }

// Config decodes the dstack view into plain Go values: a fresh copy the
// caller may keep and change.
func (s *Service) Config() (*Config, error) {
	data, err := s.JSON(ViewDstack)
	if err != nil {
		return nil, err
	}
	return decodeConfig(data)
}

// Get is the value at path in the dstack view's spelling
// ("resources.gpu.count.min", "env.HF_TOKEN", "groups[0].name") as plain Go
// values: nil, bool, string, float64, int64 (or *big.Int when it does not
// fit), []any and map[string]any. ok is false when the path does not exist.
func (s *Service) Get(path string) (value any, ok bool, err error) {
	data, err := s.JSON(ViewDstack)
	if err != nil {
		return nil, false, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var root any
	if err := dec.Decode(&root); err != nil {
		return nil, false, err
	}
	v, ok, err := lookup(root, path)
	if err != nil || !ok {
		return nil, ok, err
	}
	return plain(v), true, nil
}

// Validate checks the whole configuration as Parse would, rules between
// fields included; an [*Error] with the diagnostics when it does not validate.
func (s *Service) Validate() error {
	return s.with(func(p *C.dcfg_config) error {
		var diags *C.dcfg_diags
		st := status(C.dcfg_config_validate(p, &diags))
		return errorFor(st, "validate", takeDiags(diags))
	})
}

// change runs a setter and turns its status and diagnostics into an error.
func (s *Service) change(op, path string, fn func(p *C.dcfg_config, cpath *C.char, diags **C.dcfg_diags) C.dcfg_status) error {
	return s.with(func(p *C.dcfg_config) error {
		cpath := C.CString(path)
		defer C.free(unsafe.Pointer(cpath))
		var diags *C.dcfg_diags
		st := status(fn(p, cpath, &diags))
		found := takeDiags(diags)
		if st == statusUsage && len(found) == 0 {
			return fmt.Errorf("%w: not a valid field path: %q", ErrUsage, path)
		}
		return errorFor(st, op+" "+path, found)
	})
}

// Set sets a field by path through the field's own parser, as in a file:
// cfg.Set("resources.gpu", "A100:80GB:2"), cfg.Set("port", 8000),
// cfg.Set("replicas", "1..3"), cfg.Set("env", map[string]string{...}).
// A Go string is always a string (as if quoted in YAML); nil is null;
// bools, integers (of any size, *big.Int and Int included) and floats are
// those; slices, arrays, maps with string keys and other values are written
// as their JSON encoding. A value the schema rejects leaves the
// configuration unchanged and gives an [*Error]. Rules between fields are
// checked by Validate.
func (s *Service) Set(path string, value any) error {
	switch v := value.(type) {
	case nil:
		return s.change("set", path, func(p *C.dcfg_config, cp *C.char, d **C.dcfg_diags) C.dcfg_status {
			return C.dcfg_config_set_null(p, d, cp)
		})
	case bool:
		b := C.int(0)
		if v {
			b = 1
		}
		return s.change("set", path, func(p *C.dcfg_config, cp *C.char, d **C.dcfg_diags) C.dcfg_status {
			return C.dcfg_config_set_bool(p, d, cp, b)
		})
	case string:
		if strings.IndexByte(v, 0) >= 0 {
			// a C string stops at NUL: the JSON text keeps the whole value
			text, _ := json.Marshal(v)
			return s.SetYAML(path, string(text))
		}
		cv := C.CString(v)
		defer C.free(unsafe.Pointer(cv))
		return s.change("set", path, func(p *C.dcfg_config, cp *C.char, d **C.dcfg_diags) C.dcfg_status {
			return C.dcfg_config_set_string(p, d, cp, cv)
		})
	case float32, float64:
		f := toFloat(v)
		return s.change("set", path, func(p *C.dcfg_config, cp *C.char, d **C.dcfg_diags) C.dcfg_status {
			return C.dcfg_config_set_float(p, d, cp, C.double(f))
		})
	}
	if i, ok := toInt64(value); ok {
		return s.change("set", path, func(p *C.dcfg_config, cp *C.char, d **C.dcfg_diags) C.dcfg_status {
			return C.dcfg_config_set_int(p, d, cp, C.dcfg_int64(i))
		})
	}
	text, err := yamlText(value)
	if err != nil {
		return err
	}
	return s.SetYAML(path, text)
}

// SetYAML sets a field from YAML or JSON text read exactly as in a file
// (YAML 1.1 typing: `off` is false, `3.10` a float):
// cfg.SetYAML("env", "- HF_TOKEN\n- MODEL=x"). Text that is not
// well-formed gives an error matching ErrSyntax.
func (s *Service) SetYAML(path, text string) error {
	ct := C.CString(text)
	defer C.free(unsafe.Pointer(ct))
	return s.change("set", path, func(p *C.dcfg_config, cp *C.char, d **C.dcfg_diags) C.dcfg_status {
		return C.dcfg_config_set_value(p, d, cp, ct)
	})
}

// Unset removes a field (it takes its default again) or a list item (later
// items move up). Removing what is not set is fine; removing a part a
// value needs ("scaling.target") gives an [*Error].
func (s *Service) Unset(path string) error {
	return s.change("unset", path, func(p *C.dcfg_config, cp *C.char, d **C.dcfg_diags) C.dcfg_status {
		return C.dcfg_config_unset(p, d, cp)
	})
}
