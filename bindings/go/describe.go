package dstackcfg

/*
#include <stdlib.h>
#include <dstackcfg/dstackcfg.h>
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// SchemaDraft is the JSON Schema dialect of Schema.
type SchemaDraft int

const (
	SchemaDraft2020_12 SchemaDraft = C.DCFG_SCHEMA_DRAFT_2020_12 // "$defs"; the current standard
	SchemaDraft07      SchemaDraft = C.DCFG_SCHEMA_DRAFT_07      // "definitions"; what editor plugins read best
)

// Schema is the JSON Schema of a service configuration, generated from the
// library's field tables (cross-field rules are not in it).
func Schema(draft SchemaDraft) ([]byte, error) {
	var out *C.char
	var n C.size_t
	if st := status(C.dcfg_schema_json(&out, &n, C.dcfg_schema_draft(draft), nil)); st != statusOK {
		if st == statusUsage {
			return nil, fmt.Errorf("%w: unknown schema draft %d", ErrUsage, int(draft))
		}
		return nil, errorFor(st, "schema", nil)
	}
	return takeBytes(out, n), nil
}

// Explain is a plain-text explanation of one field ("port",
// "resources.gpu", "replicas[].scaling"): type, accepted forms, defaults,
// rules. A path no field has gives an error matching ErrInvalid whose text
// says which top-level fields exist.
func Explain(path string) (string, error) {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	var out *C.char
	st := status(C.dcfg_explain(&out, cpath, nil))
	text := ""
	if out != nil {
		text = C.GoString(out)
		C.dcfg_free(unsafe.Pointer(out))
	}
	switch st {
	case statusOK:
		return text, nil
	case statusInvalid:
		return "", fmt.Errorf("%w: %s", ErrInvalid, text)
	}
	return "", errorFor(st, "explain "+path, nil)
}
