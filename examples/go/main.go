// Command check-service checks dstack service files with the Go binding,
// prints a few fields and the file in a view:
//
//	go run . [-view dstack|effective|minimal] [-yaml] FILE...
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"

	"dstackcfg"
)

func main() {
	viewName := flag.String("view", "minimal", "view to print: dstack, effective or minimal")
	asYAML := flag.Bool("yaml", false, "print YAML instead of JSON")
	flag.Parse()
	views := map[string]dstackcfg.View{"dstack": dstackcfg.ViewDstack, "effective": dstackcfg.ViewEffective,
		"minimal": dstackcfg.ViewMinimal}
	view, ok := views[*viewName]
	if !ok || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: check-service [-view dstack|effective|minimal] [-yaml] FILE...")
		os.Exit(2)
	}
	status := 0
	for _, path := range flag.Args() {
		if err := show(path, view, *asYAML); err != nil {
			var e *dstackcfg.Error
			if errors.As(err, &e) && len(e.Diagnostics) > 0 {
				for _, d := range e.Diagnostics {
					fmt.Fprintln(os.Stderr, d)
				}
			} else {
				fmt.Fprintln(os.Stderr, err)
			}
			status = 1
		}
	}
	os.Exit(status)
}

func show(path string, view dstackcfg.View, asYAML bool) error {
	svc, err := dstackcfg.ParseFile(path)
	if err != nil {
		return err
	}
	defer svc.Close()
	for _, w := range svc.Warnings() {
		fmt.Fprintln(os.Stderr, w)
	}
	cfg, err := svc.Config()
	if err != nil {
		return err
	}
	name := "(no name)"
	if cfg.Name != nil {
		name = *cfg.Name
	}
	fmt.Printf("%s: %s, port %d", path, name, cfg.Port.ContainerPort)
	if cfg.Model != nil {
		fmt.Printf(", model %s (%s)", cfg.Model.Name, cfg.Model.Format)
	}
	if gpu := cfg.Resources.GPU; gpu != nil && gpu.Count.Min != nil && gpu.Count.Min.Int64() > 0 {
		fmt.Printf(", %s GPU", gpu.Count.Min)
		if gpu.Name != nil {
			fmt.Printf(" %v", gpu.Name)
		}
	}
	fmt.Println()
	var out []byte
	if asYAML {
		out, err = svc.YAML(view)
	} else {
		out, err = svc.JSONIndent(view)
	}
	if err != nil {
		return err
	}
	_, err = os.Stdout.Write(out)
	return err
}
