package dstackcfg

/*
#cgo pkg-config: dstackcfg
#include <stdlib.h>
#include <dstackcfg/dstackcfg.h>
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// Version numbers of the library this package was compiled against and of
// the one loaded at run time. They differ when a newer libdstackcfg.so of
// the same major version is installed later.
var (
	// HeaderVersion is DCFG_VERSION_STRING of the headers the package was built with.
	HeaderVersion = C.DCFG_VERSION_STRING
	// LibraryVersion is dcfg_version_string() of the library loaded.
	LibraryVersion = C.GoString(C.dcfg_version_string())
	// DstackVersion is the version of dstack whose parser the library follows.
	DstackVersion = C.GoString(C.dcfg_dstack_version())
)

func init() {
	// A library of another major version has another ABI: refuse it at load
	// time rather than crash later (the soname already keeps 0.x apart).
	if got := uint(C.dcfg_version_number()) / 10000; got != C.DCFG_VERSION_MAJOR {
		panic(fmt.Sprintf("dstackcfg: loaded libdstackcfg %s, but the binding needs major version %d",
			LibraryVersion, C.DCFG_VERSION_MAJOR))
	}
}

// status is a dcfg_status.
type status int

const (
	statusOK      status = C.DCFG_OK
	statusSyntax  status = C.DCFG_ESYNTAX
	statusInvalid status = C.DCFG_EINVALID
	statusNoMem   status = C.DCFG_ENOMEM
	statusIO      status = C.DCFG_EIO
	statusUsage   status = C.DCFG_EUSAGE
	statusLimit   status = C.DCFG_ELIMIT
)

func (s status) String() string { return C.GoString(C.dcfg_status_string(C.dcfg_status(s))) }

// cbytes points C at a Go byte slice for the duration of one call (the
// slice holds no Go pointers, so cgo allows it). An empty slice is NULL.
func cbytes(b []byte) (*C.char, C.size_t) {
	if len(b) == 0 {
		return nil, 0
	}
	return (*C.char)(unsafe.Pointer(&b[0])), C.size_t(len(b))
}

// takeString copies a string the library handed over, then frees it.
func takeString(p *C.char, n C.size_t) string {
	if p == nil {
		return ""
	}
	s := C.GoStringN(p, C.int(n))
	C.dcfg_free(unsafe.Pointer(p))
	return s
}

// takeBytes is takeString for a []byte.
func takeBytes(p *C.char, n C.size_t) []byte {
	if p == nil {
		return nil
	}
	b := C.GoBytes(unsafe.Pointer(p), C.int(n))
	C.dcfg_free(unsafe.Pointer(p))
	return b
}

// optString is a borrowed, possibly NULL C string as *string.
func optString(p *C.char) *string {
	if p == nil {
		return nil
	}
	s := C.GoString(p)
	return &s
}

// readDiags copies every diagnostic of a list (which the caller still frees).
func readDiags(d *C.dcfg_diags) []Diagnostic {
	n := int(C.dcfg_diags_count(d))
	if n == 0 {
		return nil
	}
	source := C.GoString(C.dcfg_diags_source(d))
	csource := C.dcfg_diags_source(d)
	out := make([]Diagnostic, 0, n)
	for i := 0; i < n; i++ {
		g := C.dcfg_diags_at(d, C.size_t(i))
		sev := SeverityError
		if C.dcfg_diag_severity(g) == C.DCFG_SEVERITY_WARNING {
			sev = SeverityWarning
		}
		var text *C.char
		line := ""
		if C.dcfg_diag_format(&text, g, csource) == C.DCFG_OK {
			line = C.GoString(text)
			C.dcfg_free(unsafe.Pointer(text))
		}
		out = append(out, Diagnostic{
			Severity:      sev,
			Code:          C.GoString(C.dcfg_diag_code_name(C.dcfg_diag_code_of(g))),
			Path:          C.GoString(C.dcfg_diag_path(g)),
			Line:          int(C.dcfg_diag_line(g)),
			Column:        int(C.dcfg_diag_column(g)),
			RelatedLine:   int(C.dcfg_diag_related_line(g)),
			RelatedColumn: int(C.dcfg_diag_related_column(g)),
			Message:       C.GoString(C.dcfg_diag_message(g)),
			Source:        source,
			text:          line,
		})
	}
	return out
}

// takeDiags copies the diagnostics out, then frees the list.
func takeDiags(d *C.dcfg_diags) []Diagnostic {
	if d == nil {
		return nil
	}
	out := readDiags(d)
	C.dcfg_diags_free(d)
	return out
}
