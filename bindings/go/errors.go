package dstackcfg

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. An [*Error] matches the one of its status with errors.Is.
var (
	// ErrSyntax: the input is not well-formed YAML or JSON (or not valid UTF-8).
	ErrSyntax = errors.New("dstackcfg: syntax error")
	// ErrInvalid: well-formed, but not a valid dstack service configuration.
	ErrInvalid = errors.New("dstackcfg: invalid configuration")
	// ErrLimit: the input exceeds a configured limit (size, depth, nodes, string length).
	ErrLimit = errors.New("dstackcfg: limit exceeded")
	// ErrNoMemory: an allocation of the C library failed.
	ErrNoMemory = errors.New("dstackcfg: out of memory")
	// ErrIO: a file could not be read.
	ErrIO = errors.New("dstackcfg: I/O error")
	// ErrUsage: a bad argument, such as a field path that is not well-formed.
	ErrUsage = errors.New("dstackcfg: usage error")
	// ErrClosed: a method was called on a closed Service.
	ErrClosed = errors.New("dstackcfg: use of a closed Service")
)

// Severity of a diagnostic.
type Severity string

const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// Diagnostic is one problem found in a configuration, copied out of the
// library. String gives the command line tool's form,
// `FILE:LINE:COL: error: PATH: MESSAGE [code]`.
type Diagnostic struct {
	Severity Severity
	// Code is the stable kebab-case code to match on: syntax, encoding, limit,
	// not-a-service, unknown-field, required, wrong-type, invalid-value,
	// unsupported-value, conflict, duplicate, duplicate-key.
	Code string
	// Path is the field path in the user's spelling ("probes[0].url"); "" for the document.
	Path string
	// Line and Column are 1-based; 0 when unknown.
	Line, Column int
	// RelatedLine and RelatedColumn are a second position involved (the
	// first occurrence of a duplicate key); 0 when none.
	RelatedLine, RelatedColumn int
	// Message is the text without path or position.
	Message string
	// Source is the file name, the WithSourceName name, or "<input>".
	Source string

	text string // dcfg_diag_format()
}

// String is the diagnostic as the command line tool prints it.
func (d Diagnostic) String() string {
	if d.text != "" {
		return d.text
	}
	var b strings.Builder
	b.WriteString(d.Source)
	if d.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", d.Line, d.Column)
	}
	fmt.Fprintf(&b, ": %s: ", d.Severity)
	if d.Path != "" {
		b.WriteString(d.Path + ": ")
	}
	fmt.Fprintf(&b, "%s [%s]", d.Message, d.Code)
	return b.String()
}

// IsError reports whether the diagnostic is an error (not a warning).
func (d Diagnostic) IsError() bool { return d.Severity == SeverityError }

// Error is a failed parse, change or validation: every diagnostic found
// (warnings included), and the library's status, which errors.Is matches
// against ErrSyntax, ErrInvalid, ErrLimit, ErrNoMemory, ErrIO and ErrUsage.
type Error struct {
	// Op names what failed: "parse", "set port", "validate", ...
	Op          string
	Diagnostics []Diagnostic
	status      status
	cause       error // the os error of an unreadable file
}

// Unwrap is the os error of a file that could not be read (errors.Is(err,
// fs.ErrNotExist) works), nil otherwise.
func (e *Error) Unwrap() error { return e.cause }

// Errors are the diagnostics of error severity.
func (e *Error) Errors() []Diagnostic {
	var out []Diagnostic
	for _, d := range e.Diagnostics {
		if d.IsError() {
			out = append(out, d)
		}
	}
	return out
}

// Error is the first error diagnostic in the command line tool's form,
// followed by how many more there are.
func (e *Error) Error() string {
	errs := e.Errors()
	if len(errs) == 0 {
		msg := "dstackcfg: " + e.status.String()
		if e.Op != "" {
			msg += " (" + e.Op + ")"
		}
		if e.cause != nil {
			msg += ": " + e.cause.Error()
		}
		return msg
	}
	msg := errs[0].String()
	if len(errs) > 1 {
		msg += fmt.Sprintf(" (and %d more)", len(errs)-1)
	}
	return msg
}

// Is matches the sentinel of the error's status. An invalid configuration
// whose diagnostics include a `limit` one also matches ErrLimit.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrSyntax:
		return e.status == statusSyntax
	case ErrInvalid:
		return e.status == statusInvalid
	case ErrLimit:
		if e.status == statusLimit {
			return true
		}
		for _, d := range e.Diagnostics {
			if d.Code == "limit" && d.IsError() {
				return true
			}
		}
	case ErrNoMemory:
		return e.status == statusNoMem
	case ErrIO:
		return e.status == statusIO
	case ErrUsage:
		return e.status == statusUsage
	}
	return false
}

// errorFor is the error of a failed call; nil for statusOK.
func errorFor(st status, op string, diags []Diagnostic) error {
	if st == statusOK {
		return nil
	}
	return &Error{Op: op, Diagnostics: diags, status: st}
}
