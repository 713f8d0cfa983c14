// Command first is the getting-started program in Go: it parses a service
// file and prints a few fields, or every diagnostic when it is invalid.
//
//	go run ./first FILE
package main

import (
	"errors"
	"fmt"
	"os"

	"dstackcfg"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: first FILE")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		var e *dstackcfg.Error
		if errors.As(err, &e) && len(e.Diagnostics) > 0 {
			for _, d := range e.Diagnostics {
				fmt.Fprintln(os.Stderr, d)
			}
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
	for _, w := range svc.Warnings() { // a key written twice, ...
		fmt.Fprintln(os.Stderr, w)
	}
	cfg, err := svc.Config() // the dstack view as Go structs
	if err != nil {
		return err
	}
	image := "(dstack's base image)"
	if cfg.Image != nil {
		image = *cfg.Image
	}
	fmt.Printf("port %d, image %s\n", cfg.Port.ContainerPort, image)
	// any value by path, laid out as the canonical JSON
	cores, _, err := svc.Get("resources.cpu.count.min")
	if err != nil {
		return err
	}
	fmt.Printf("cpu cores at least %v\n", cores)
	return nil
}
