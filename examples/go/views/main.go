// Command views prints a service configuration in its three views: dstack's
// canonical JSON (model_dump), the effective view (server-side defaults
// resolved) as YAML, and the minimal YAML that `dstackcfg fmt` writes.
//
//	go run ./views FILE
package main

import (
	"errors"
	"fmt"
	"os"

	"dstackcfg"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: views FILE")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		var e *dstackcfg.Error
		if errors.As(err, &e) && len(e.Diagnostics) > 0 {
			fmt.Fprintf(os.Stderr, "%s: invalid (%d problems; dstackcfg check lists them)\n", os.Args[1], len(e.Errors()))
		} else {
			fmt.Fprintln(os.Stderr, err)
		}
		os.Exit(1)
	}
}

func run(path string) error {
	svc, err := dstackcfg.ParseFile(path)
	if err != nil {
		return err
	}
	defer svc.Close()
	for _, v := range []struct {
		title string
		emit  func(dstackcfg.View) ([]byte, error)
		view  dstackcfg.View
	}{
		{"dstack (JSON)", svc.JSONIndent, dstackcfg.ViewDstack},
		{"effective (YAML)", svc.YAML, dstackcfg.ViewEffective},
		{"minimal (YAML)", svc.YAML, dstackcfg.ViewMinimal},
	} {
		out, err := v.emit(v.view)
		if err != nil {
			return err
		}
		fmt.Printf("--- %s\n%s", v.title, out)
	}
	return nil
}
