package dstackcfg

/*
#include <dstackcfg/dstackcfg.h>
*/
import "C"

import (
	"encoding/json"
	"fmt"
	"unsafe"
)

// UpdateClass is how dstack 0.22.5's server applies a change to a running
// service, weakest first.
type UpdateClass string

const (
	UpdateNone    UpdateClass = "none"     // nothing changed (a verdict only)
	UpdateInPlace UpdateClass = "in-place" // applied to the running replicas
	UpdateRolling UpdateClass = "rolling"  // a rolling deployment replaces the replicas one by one
	UpdateRestart UpdateClass = "restart"  // the run must be stopped and applied again
)

func updateClass(c C.dcfg_update_class) UpdateClass {
	return UpdateClass(C.GoString(C.dcfg_update_class_name(c)))
}

// Change is one changed value. Old and New are compact JSON of the dstack
// view; Old is nil for a key added to a mapping, New nil for one removed.
type Change struct {
	Path   string // "image", "resources.gpu.count.min", "env.HF_TOKEN"
	Update UpdateClass
	Old    json.RawMessage
	New    json.RawMessage
	Reason *string // why the class differs from the field's own, when it does
}

// Diff is what changed between two configurations, in the field tables'
// order, and the strongest update class among the changes.
type Diff struct {
	Changes []Change
	Verdict UpdateClass
}

func rawJSON(p *C.char) json.RawMessage {
	if p == nil {
		return nil
	}
	return json.RawMessage(C.GoString(p))
}

// Diff compares the configuration (the running one) with other (the one to
// apply) on their normalized values: `port: 8000` and `port: "8000"`, or
// keys in another order, are no change.
func (s *Service) Diff(other *Service) (*Diff, error) {
	if other == nil {
		return nil, fmt.Errorf("%w: Diff of a nil Service", ErrUsage)
	}
	// both locks, in one order (by address) so that a.Diff(b) and b.Diff(a)
	// cannot deadlock
	first, second := s, other
	if uintptr(unsafe.Pointer(second)) < uintptr(unsafe.Pointer(first)) {
		first, second = second, first
	}
	var out *Diff
	err := first.with(func(*C.dcfg_config) error {
		run := func(*C.dcfg_config) error {
			var d *C.dcfg_diff
			st := status(C.dcfg_config_diff(&d, s.ptr, other.ptr, nil))
			if st == statusInvalid {
				return errorFor(st, "diff: a configuration being built does not validate", nil)
			}
			if st != statusOK {
				return errorFor(st, "diff", nil)
			}
			defer C.dcfg_diff_free(d)
			out = &Diff{Verdict: updateClass(C.dcfg_diff_verdict(d))}
			n := int(C.dcfg_diff_count(d))
			out.Changes = make([]Change, 0, n)
			for i := 0; i < n; i++ {
				c := C.dcfg_diff_at(d, C.size_t(i))
				out.Changes = append(out.Changes, Change{
					Path:   C.GoString(C.dcfg_change_path(c)),
					Update: updateClass(C.dcfg_change_class(c)),
					Old:    rawJSON(C.dcfg_change_old(c)),
					New:    rawJSON(C.dcfg_change_new(c)),
					Reason: optString(C.dcfg_change_reason(c)),
				})
			}
			return nil
		}
		if first == second {
			return run(nil)
		}
		return second.with(run)
	})
	return out, err
}
