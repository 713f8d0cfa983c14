package dstackcfg

/*
#include <stdlib.h>
#include <dstackcfg/dstackcfg.h>
*/
import "C"

import "unsafe"

// Format is the input format of Parse.
type Format int

const (
	// FormatAuto reads JSON when the text starts with '{' (after a BOM and
	// white space), YAML otherwise.
	FormatAuto Format = C.DCFG_FORMAT_AUTO
	FormatYAML Format = C.DCFG_FORMAT_YAML
	FormatJSON Format = C.DCFG_FORMAT_JSON
)

// Unknown says what Parse does with keys dstack does not know.
type Unknown int

const (
	// UnknownError (the default) makes an unknown key an error, as dstack does.
	UnknownError Unknown = iota
	// UnknownWarn reports unknown keys as warnings (files written for a newer dstack).
	UnknownWarn
	// UnknownIgnore drops unknown keys silently.
	UnknownIgnore
)

// Limits bound what Parse reads; a zero member means the library's default.
type Limits struct {
	MaxInputBytes  int // document size; default 16 MiB
	MaxDepth       int // nesting of mappings and lists; default 64
	MaxNodes       int // nodes after alias expansion; default 100000
	MaxStringBytes int // one scalar; default 1 MiB
}

// Option is an option of Parse and ParseFile.
type Option func(*options)

type options struct {
	source    string
	hasSource bool
	format    Format
	flags     C.uint
	limits    Limits
	allocator *C.dcfg_allocator
}

// WithSourceName is the name diagnostics show for the input (default
// "<input>", or the path for ParseFile).
func WithSourceName(name string) Option {
	return func(o *options) { o.source, o.hasSource = name, true }
}

// WithFormat sets the input format instead of detecting it.
func WithFormat(f Format) Option { return func(o *options) { o.format = f } }

// WithStrictDuplicates makes a key written twice in one mapping an error
// (by default a warning; the last value wins, as in dstack).
func WithStrictDuplicates(strict bool) Option {
	return func(o *options) {
		if strict {
			o.flags |= C.DCFG_PARSE_STRICT_DUPLICATES
		} else {
			o.flags &^= C.DCFG_PARSE_STRICT_DUPLICATES
		}
	}
}

// WithUnknown relaxes unknown keys: UnknownWarn or UnknownIgnore.
func WithUnknown(u Unknown) Option {
	return func(o *options) {
		o.flags &^= C.DCFG_PARSE_UNKNOWN_AS_WARNING | C.DCFG_PARSE_UNKNOWN_IGNORE
		switch u {
		case UnknownWarn:
			o.flags |= C.DCFG_PARSE_UNKNOWN_AS_WARNING
		case UnknownIgnore:
			o.flags |= C.DCFG_PARSE_UNKNOWN_IGNORE
		}
	}
}

// WithLimits sets the input limits; an input over one gives an error
// matching ErrLimit.
func WithLimits(l Limits) Option { return func(o *options) { o.limits = l } }

// withAllocator sends every allocation of the parse (and of the Service it
// gives) through a C allocator; the tests count with it.
func withAllocator(a *C.dcfg_allocator) Option { return func(o *options) { o.allocator = a } }

func parseOptions(opts []Option) *options {
	o := &options{}
	for _, f := range opts {
		if f != nil {
			f(o)
		}
	}
	return o
}

func (o *options) sourceName() string {
	if o.hasSource {
		return o.source
	}
	return "<input>"
}

func clampSize(n int) C.size_t {
	if n < 0 {
		return 0
	}
	return C.size_t(n)
}

// c is the C options struct, in C memory (it points at C strings and the
// allocator); done frees it.
func (o *options) c() (*C.dcfg_parse_options, func()) {
	p := (*C.dcfg_parse_options)(C.calloc(1, C.sizeof_dcfg_parse_options))
	p.version = C.DCFG_PARSE_OPTIONS_VERSION
	p.format = C.dcfg_format(o.format)
	p.flags = o.flags
	if o.hasSource {
		p.source_name = C.CString(o.source)
	}
	p.allocator = o.allocator
	p.max_input_bytes = clampSize(o.limits.MaxInputBytes)
	if o.limits.MaxDepth > 0 {
		p.max_depth = C.uint(o.limits.MaxDepth)
	}
	p.max_nodes = clampSize(o.limits.MaxNodes)
	p.max_string_bytes = clampSize(o.limits.MaxStringBytes)
	return p, func() {
		C.free(unsafe.Pointer(p.source_name))
		C.free(unsafe.Pointer(p))
	}
}
