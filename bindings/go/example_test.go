package dstackcfg_test

import (
	"errors"
	"fmt"

	"dstackcfg"
)

func ExampleParse() {
	svc, err := dstackcfg.Parse([]byte("type: service\nport: 8000\nimage: nginx\nresources:\n  gpu: A100:80GB:2\n"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer svc.Close()
	cfg, _ := svc.Config()
	gpu := cfg.Resources.GPU
	fmt.Println(cfg.Port.ContainerPort, *cfg.Image, gpu.Name[0], gpu.Count.Min, *gpu.Memory.Min)
	// Output: 8000 nginx A100 2 80
}

func ExampleError() {
	_, err := dstackcfg.Parse([]byte("type: service\nport: 70000\nimage: x\n"), dstackcfg.WithSourceName("service.dstack.yml"))
	var e *dstackcfg.Error
	if errors.As(err, &e) && errors.Is(err, dstackcfg.ErrInvalid) {
		for _, d := range e.Diagnostics {
			fmt.Println(d)
		}
	}
	// Output: service.dstack.yml:2:7: error: port: must be less than or equal to 65535, got 70000 [invalid-value]
}

func ExampleService_YAML() {
	svc, _ := dstackcfg.Parse([]byte(`{"type": "service", "port": "8000", "image": "nginx", "replicas": "1..2",
"scaling": {"metric": "rps", "target": 10}}`))
	defer svc.Close()
	out, _ := svc.YAML(dstackcfg.ViewMinimal)
	fmt.Print(string(out))
	// Output:
	// type: service
	// port: 8000
	// scaling:
	//   metric: rps
	//   target: 10
	// replicas: 1..2
	// image: nginx
}

func ExampleNew() {
	svc, _ := dstackcfg.New()
	defer svc.Close()
	svc.Set("port", 8000)
	svc.Set("image", "vllm/vllm-openai:latest")
	svc.Set("resources.gpu", "24GB..")
	if err := svc.Set("port", 70000); err != nil {
		fmt.Println("rejected:", err.(*dstackcfg.Error).Diagnostics[0].Message)
	}
	if err := svc.Validate(); err == nil {
		out, _ := svc.YAML(dstackcfg.ViewMinimal)
		fmt.Print(string(out))
	}
	// Output:
	// rejected: must be less than or equal to 65535, got 70000
	// type: service
	// port: 8000
	// image: vllm/vllm-openai:latest
	// resources:
	//   gpu: 24GB..
}

func ExampleService_Diff() {
	old, _ := dstackcfg.Parse([]byte("type: service\nport: 8000\nimage: nginx:1\nreplicas: 1\n"))
	defer old.Close()
	next, _ := dstackcfg.Parse([]byte("type: service\nport: \"8000\"\nimage: nginx:2\nreplicas: 2\n"))
	defer next.Close()
	d, _ := old.Diff(next)
	for _, c := range d.Changes {
		fmt.Println(c.Path, c.Update, string(c.Old), "->", string(c.New))
	}
	fmt.Println("verdict:", d.Verdict)
	// Output:
	// replicas.min in-place 1 -> 2
	// replicas.max in-place 1 -> 2
	// image rolling "nginx:1" -> "nginx:2"
	// verdict: rolling
}

func ExampleService_Get() {
	svc, _ := dstackcfg.Parse([]byte("type: service\nport: 8000\nimage: x\nresources: {gpu: H100:4}\n"))
	defer svc.Close()
	v, ok, _ := svc.Get("resources.gpu.count.min")
	fmt.Println(v, ok)
	// Output: 4 true
}
