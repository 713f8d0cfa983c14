// Package bench compares the Go binding with gopkg.in/yaml.v3 and with the
// C library called directly, on the same documents. It is its own module so
// that the binding itself stays standard library only.
package bench

/*
#cgo pkg-config: dstackcfg
#include <dstackcfg/dstackcfg.h>
*/
import "C"

import "unsafe"

// cParse is dcfg_config_parse and dcfg_config_free called straight from
// cgo, with no Go-side work: the floor the binding's overhead is measured
// against. It reports whether the document is valid.
func cParse(doc []byte) bool {
	var cfg *C.dcfg_config
	st := C.dcfg_config_parse(&cfg, nil, (*C.char)(unsafe.Pointer(&doc[0])), C.size_t(len(doc)), nil)
	C.dcfg_config_free(cfg)
	return st == C.DCFG_OK
}
