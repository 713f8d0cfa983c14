// Command builder builds a service configuration from scratch with the
// builder API and prints it as YAML (the minimal view, what `dstackcfg fmt`
// writes):
//
//	go run ./builder > service.dstack.yml && dstackcfg check service.dstack.yml
package main

import (
	"errors"
	"fmt"
	"os"

	"dstackcfg"
)

func main() {
	if err := run(); err != nil {
		var e *dstackcfg.Error
		if errors.As(err, &e) && len(e.Diagnostics) > 0 {
			for _, d := range e.Diagnostics {
				fmt.Fprintln(os.Stderr, "builder:", d)
			}
		} else {
			fmt.Fprintln(os.Stderr, "builder:", err)
		}
		os.Exit(1)
	}
}

func run() error {
	svc, err := dstackcfg.New()
	if err != nil {
		return err
	}
	defer svc.Close()

	// Go values: a string is always a string, read by the field's own parser,
	// so shorthands, ranges and durations work as in a file
	for _, f := range []struct {
		path  string
		value any
	}{
		{"name", "llama-service"},
		{"image", "vllm/vllm-openai:latest"},
		{"port", 8000},
		{"model", "meta-llama/Llama-3.1-8B-Instruct"},
		{"env", []string{"MODEL=meta-llama/Llama-3.1-8B-Instruct", "HF_TOKEN"}}, // HF_TOKEN: from the client
		{"commands", []string{"vllm serve $MODEL --port 8000"}},
		{"resources.gpu", "A100:80GB:2"},
		{"resources.disk", "200GB.."},
		{"replicas", "1..4"},
		{"scaling", map[string]any{"metric": "rps", "target": 10}},
		{"spot_policy", "auto"},
	} {
		if err := svc.Set(f.path, f.value); err != nil {
			return err
		}
	}
	// YAML text, typed exactly as in a file
	if err := svc.SetYAML("max_duration", "2h"); err != nil {
		return err
	}

	// a bad value is refused and changes nothing
	if err := svc.Set("port", 70000); !errors.Is(err, dstackcfg.ErrInvalid) {
		return fmt.Errorf("port 70000: got %v, want a refusal", err)
	}

	// the rules between fields (a replicas range needs scaling, ...)
	if err := svc.Validate(); err != nil {
		return err
	}
	out, err := svc.YAML(dstackcfg.ViewMinimal)
	if err != nil {
		return err
	}
	_, err = os.Stdout.Write(out)
	return err
}
