package dstackcfg

import (
	"encoding/json"
	"errors"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const minimal = "type: service\nport: 8000\nimage: nginx\n"

func TestParseAndConfig(t *testing.T) {
	s, err := ParseFile(example(t, "llm-endpoint.dstack.yml"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c, err := s.Config()
	if err != nil {
		t.Fatal(err)
	}
	if c.Port.ContainerPort != 8000 || c.Port.LocalPort == nil || *c.Port.LocalPort != 80 {
		t.Errorf("port %+v", c.Port)
	}
	if c.Name == nil || *c.Name != "llama-endpoint" || c.Type != "service" {
		t.Errorf("name %v type %q", c.Name, c.Type)
	}
	if c.Model == nil || c.Model.Format != "openai" || *c.Model.Prefix != "/v1" {
		t.Errorf("model %+v", c.Model)
	}
	if c.HTTPS == nil || *c.HTTPS != HTTPSAuto {
		t.Errorf("https %v", c.HTTPS)
	}
	if v, ok := c.Env.Lookup("HF_TOKEN"); !ok || v != nil {
		t.Errorf("HF_TOKEN %v %v", v, ok)
	}
	if v, ok := c.Env.Lookup("MAX_MODEL_LEN"); !ok || *v != "8192" {
		t.Errorf("MAX_MODEL_LEN %v", v)
	}
	if _, ok := c.Env.Lookup("NOPE"); ok {
		t.Error("NOPE found")
	}
	if s.Source() != example(t, "llm-endpoint.dstack.yml") {
		t.Errorf("source %q", s.Source())
	}
}

func TestTypedFields(t *testing.T) {
	s := mustParse(t, `type: service
port: "8080:8000"
image: x
gateway: {name: gw, project: p}
model: {format: tgi, name: m, chat_template: "{{x}}"}
https: false
replicas: 1..3
scaling: {metric: rps, target: 10}
rate_limits: [{prefix: /, rps: 2, key: {type: header, header: X-Id}}]
probes: [{type: http, url: /health, headers: [{name: A, value: b}], timeout: 5}]
resources: {gpu: "A100:80GB:2", disk: 200GB, shm_size: 8GB, cpu: {arch: arm, count: 4..}}
volumes: [{name: [a, b], path: /v}, {instance_path: /mnt, path: /m, optional: true}, {name: c, path: /c}]
repos: [{url: "https://example.com/r.git", branch: main}]
files: [{local_path: a, path: /a}]
retry: true
max_duration: 2h
stop_duration: "off"
idle_duration: 100000000000000000000000
utilization_policy: {min_gpu_utilization: 10, time_window: 30m}
schedule: {cron: "0 8 * * *"}
fleets: [f1]
instances: [{name: n}, {hostname: h}, {fleet: f, instance: 2}]
tags: {team: ml}
backend_options: [{type: vastai, min_score: 5}]
registry_auth: {username: u, password: secret}
priority: 50
`)
	c, err := s.Config()
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name string
		ok   bool
	}{
		{"local port", *c.Port.LocalPort == 8080 && c.Port.ContainerPort == 8000},
		{"gateway", c.Gateway != nil && c.Gateway.Named != nil && c.Gateway.Named.Name == "gw" && *c.Gateway.Named.Project == "p"},
		{"model", c.Model.Format == "tgi" && *c.Model.ChatTemplate == "{{x}}" && c.Model.EosToken == nil && c.Model.Prefix == nil},
		{"https", *c.HTTPS == HTTPSFalse},
		{"replicas", c.Replicas.Min.Int64() == 1 && c.Replicas.Max.Int64() == 3},
		{"scaling", c.Scaling.Target == 10 && c.Scaling.Window == nil && c.Scaling.Metric == "rps"},
		{"rate limit", c.RateLimits[0].Key.Type == "header" && *c.RateLimits[0].Key.Header == "X-Id" && c.RateLimits[0].RPS == 2},
		{"probe", *c.Probes[0].URL == "/health" && c.Probes[0].Headers[0].Value == "b" && c.Probes[0].Timeout.Int64() == 5},
		{"gpu", c.Resources.GPU.Name[0] == "A100" && *c.Resources.GPU.Memory.Min == 80 && c.Resources.GPU.Count.Min.Int64() == 2},
		{"disk", *c.Resources.Disk.Size.Min == 200 && *c.Resources.ShmSize == 8},
		{"cpu", *c.Resources.CPU.Arch == "arm" && c.Resources.CPU.Count.Min.Int64() == 4 && c.Resources.CPU.Count.Max == nil},
		{"volumes", reflect.DeepEqual(c.Volumes[0].Names, []string{"a", "b"}) && c.Volumes[1].InstancePath == "/mnt" && c.Volumes[1].Optional && c.Volumes[2].Name == "c"},
		{"repos", *c.Repos[0].Branch == "main" && c.Repos[0].Path == "."},
		{"files", c.Files[0].LocalPath == "a"},
		{"retry", c.Retry.Enabled != nil && *c.Retry.Enabled},
		{"max_duration", c.MaxDuration.Seconds.Int64() == 7200 && !c.MaxDuration.Off},
		{"stop_duration", c.StopDuration.Off},
		{"idle_duration", !c.IdleDuration.IsInt64() && c.IdleDuration.String() == "100000000000000000000000"},
		{"utilization", c.UtilizationPolicy.MinGPUUtilization == 10 && c.UtilizationPolicy.TimeWindow.Int64() == 1800},
		{"schedule", c.Schedule.Cron[0] == "0 8 * * *"},
		{"fleets", c.Fleets[0].Name == "f1" && c.Fleets[0].Project == nil},
		{"instances", c.Instances[0].Name == "n" && c.Instances[1].Hostname == "h" && c.Instances[2].Fleet.Name == "f" && c.Instances[2].Instance.Int64() == 2},
		{"tags", c.Tags["team"] == "ml"},
		{"backend options", c.BackendOptions[0].MinScore.Int64() == 5 && c.BackendOptions[0].OfferOrder == nil},
		{"registry auth", c.RegistryAuth.Password == "secret" && !strings.Contains(c.RegistryAuth.String(), "secret")},
		{"priority", *c.Priority == 50},
	}
	for _, ch := range checks {
		if !ch.ok {
			t.Errorf("%s: wrong value", ch.name)
		}
	}
	want := new(big.Int)
	want.SetString("100000000000000000000000", 10)
	if c.IdleDuration.Big().Cmp(want) != 0 || c.IdleDuration.Int64() != 1<<63-1 {
		t.Errorf("big int %v", c.IdleDuration)
	}
	assertLossless(t, s, c)
}

// assertLossless: a Config marshals back to the dstack view it came from.
func assertLossless(t *testing.T, s *Service, c *Config) {
	t.Helper()
	view, err := s.JSON(ViewDstack)
	if err != nil {
		t.Fatal(err)
	}
	again, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if !sameJSON(t, view, again) {
		t.Errorf("Config does not marshal back to the dstack view:\n%s\n%s", view, again)
	}
}

func TestRetryDurationGatewayForms(t *testing.T) {
	s := mustParse(t, minimal+"gateway: false\nretry: {on_events: [error], duration: 1h}\nmax_duration: off\n")
	c, _ := s.Config()
	if c.Gateway == nil || c.Gateway.Enabled || c.Gateway.Named != nil {
		t.Errorf("gateway %+v", c.Gateway)
	}
	if c.Retry.Enabled != nil || c.Retry.OnEvents[0] != "error" || c.Retry.Duration.Int64() != 3600 {
		t.Errorf("retry %+v", c.Retry)
	}
	if c.MaxDuration != nil && !c.MaxDuration.Off {
		t.Errorf("max_duration %+v", c.MaxDuration)
	}
	assertLossless(t, s, c)
	s2 := mustParse(t, minimal+"https: true\ngateway: true\n")
	c2, _ := s2.Config()
	if *c2.HTTPS != HTTPSTrue || !c2.Gateway.Enabled {
		t.Errorf("https %v gateway %+v", *c2.HTTPS, c2.Gateway)
	}
	assertLossless(t, s2, c2)
}

func TestErrors(t *testing.T) {
	_, err := Parse([]byte("type: service\nport: 70000\nimage: x\npython: \"3.10\"\n"), WithSourceName("svc.yml"))
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("not an *Error: %v", err)
	}
	if !errors.Is(err, ErrInvalid) || errors.Is(err, ErrSyntax) || errors.Is(err, ErrLimit) {
		t.Errorf("errors.Is wrong for %v", err)
	}
	if len(e.Diagnostics) != 2 {
		t.Fatalf("diagnostics %v", e.Diagnostics)
	}
	d := e.Diagnostics[0]
	if d.Code != "invalid-value" || d.Path != "port" || d.Line != 2 || d.Column != 7 || d.Source != "svc.yml" || d.Severity != SeverityError {
		t.Errorf("diagnostic %+v", d)
	}
	want := "svc.yml:2:7: error: port: must be less than or equal to 65535, got 70000 [invalid-value]"
	if d.String() != want {
		t.Errorf("String %q", d.String())
	}
	d.text = ""
	if d.String() != want {
		t.Errorf("String without the library's text %q", d.String())
	}
	if err.Error() != want+" (and 1 more)" {
		t.Errorf("Error %q", err.Error())
	}
	if e.Diagnostics[1].Code != "conflict" || len(e.Errors()) != 2 {
		t.Errorf("second %+v", e.Diagnostics[1])
	}

	_, err = Parse([]byte("a: [\n"))
	if !errors.Is(err, ErrSyntax) || errors.Is(err, ErrInvalid) {
		t.Errorf("syntax: %v", err)
	}
	if !strings.HasPrefix(err.Error(), "<input>:2:1: error: ") || !strings.HasSuffix(err.Error(), "[syntax]") {
		t.Errorf("syntax text %q", err.Error())
	}

	_, err = Parse([]byte(minimal+"env: {A: "+strings.Repeat("x", 2000)+"}\n"), WithLimits(Limits{MaxStringBytes: 100}))
	if !errors.Is(err, ErrLimit) {
		t.Errorf("limit: %v", err)
	}
	_, err = Parse([]byte(minimal), WithLimits(Limits{MaxInputBytes: 10}))
	if !errors.Is(err, ErrLimit) {
		t.Errorf("input limit: %v", err)
	}
	_, err = Parse([]byte(minimal+"resources: {gpu: {count: {min: [[[[1]]]]}}}\n"), WithLimits(Limits{MaxDepth: 3, MaxNodes: 1000}))
	if !errors.Is(err, ErrLimit) {
		t.Errorf("depth limit: %v", err)
	}

	_, err = ParseFile(filepath.Join(t.TempDir(), "missing.yml"))
	if !errors.Is(err, ErrIO) || !errors.Is(err, fs.ErrNotExist) || !errors.As(err, &e) {
		t.Errorf("io: %v", err)
	}
	if !strings.Contains(err.Error(), "missing.yml") {
		t.Errorf("io text %q", err.Error())
	}
	if _, err := Parse(nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("empty input: %v", err)
	}
	if _, err := Parse([]byte("type: task\ncommands: [x]\n")); !errors.Is(err, ErrInvalid) {
		t.Errorf("task: %v", err)
	}
	if errors.Is(&Error{status: statusNoMem}, ErrNoMemory) != true || (&Error{status: statusNoMem}).Error() != "dstackcfg: out of memory" {
		t.Errorf("no memory: %q", (&Error{status: statusNoMem}).Error())
	}
	if !errors.Is(&Error{status: statusUsage}, ErrUsage) || errors.Is(&Error{status: statusUsage}, ErrIO) {
		t.Error("usage")
	}
}

func TestOptions(t *testing.T) {
	dup := minimal + "image: y\n"
	s := mustParse(t, dup)
	w := s.Warnings()
	if len(w) != 1 || w[0].Code != "duplicate-key" || w[0].Severity != SeverityWarning || w[0].RelatedLine != 3 {
		t.Errorf("warnings %+v", w)
	}
	var e *Error
	if _, err := Parse([]byte(dup), WithStrictDuplicates(true)); !errors.As(err, &e) || e.Diagnostics[0].Code != "duplicate-key" {
		t.Errorf("strict duplicates: %v", err)
	}
	if _, err := Parse([]byte(dup), WithStrictDuplicates(true), WithStrictDuplicates(false)); err != nil {
		t.Errorf("strict duplicates off: %v", err)
	}
	unknown := minimal + "foo: 1\n"
	if _, err := Parse([]byte(unknown)); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown: %v", err)
	}
	if s, err := Parse([]byte(unknown), WithUnknown(UnknownWarn)); err != nil || len(s.Warnings()) != 1 || s.Warnings()[0].Code != "unknown-field" {
		t.Errorf("unknown warn: %v", err)
	}
	if s, err := Parse([]byte(unknown), WithUnknown(UnknownIgnore)); err != nil || len(s.Warnings()) != 0 {
		t.Errorf("unknown ignore: %v", err)
	}
	if _, err := Parse([]byte(unknown), WithUnknown(UnknownWarn), WithUnknown(UnknownError)); err == nil {
		t.Error("unknown error after warn")
	}
	js := `{"type": "service", "port": 80, "image": "x"}`
	if _, err := Parse([]byte(js), WithFormat(FormatJSON), nil); err != nil {
		t.Errorf("json: %v", err)
	}
	if _, err := Parse([]byte(js), WithFormat(FormatYAML)); err != nil {
		t.Errorf("json as yaml: %v", err)
	}
	if _, err := Parse([]byte(minimal), WithFormat(FormatJSON)); !errors.Is(err, ErrSyntax) {
		t.Errorf("yaml as json: %v", err)
	}
	if mustParse(t, minimal).Source() != "<input>" {
		t.Error("default source")
	}
}

func TestViews(t *testing.T) {
	s := mustParse(t, "type: service\nport: 8000\nimage: nginx\nresources: {gpu: 24GB}\n")
	for _, v := range []View{ViewDstack, ViewEffective, ViewMinimal} {
		j, err := s.JSON(v)
		if err != nil || !json.Valid(j) {
			t.Errorf("%v JSON: %v", v, err)
		}
		y, err := s.YAML(v)
		if err != nil || len(y) == 0 {
			t.Errorf("%v YAML: %v", v, err)
		}
		back, err := Parse(y)
		if err != nil {
			t.Fatalf("%v YAML does not parse back: %v", v, err)
		}
		j2, _ := back.JSON(v)
		j0, _ := s.JSON(v)
		if string(j0) != string(j2) {
			t.Errorf("%v YAML reads back to another configuration", v)
		}
		back.Close()
	}
	if got, _ := s.YAML(ViewMinimal); string(got) != "type: service\nport: 8000\nimage: nginx\nresources:\n  gpu: 24GB\n" {
		t.Errorf("minimal %q", got)
	}
	if _, err := s.JSON(View(9)); !errors.Is(err, ErrUsage) {
		t.Errorf("bad view: %v", err)
	}
	m, err := json.Marshal(struct{ S *Service }{s})
	j, _ := s.JSON(ViewDstack)
	if err != nil || string(m) != `{"S":`+string(j)+`}` {
		t.Errorf("MarshalJSON %v", err)
	}
	if View(9).String() != "View(9)" || ViewEffective.String() != "effective" {
		t.Error("View.String")
	}
}

func TestGet(t *testing.T) {
	s := mustParse(t, minimal+"resources: {gpu: A100:2}\nenv: [A=b]\nstop_duration: 99999999999999999999999\ngroups: [{name: g, replicas: 1, commands: [x]}]\n")
	cases := map[string]any{
		"port.container_port":     int64(8000),
		"resources.gpu.count.min": int64(2),
		"resources.gpu.name":      []any{"A100"},
		"resources.memory.min":    8.0,
		"env.A":                   "b",
		"image":                   "nginx",
		"name":                    nil,
		"auth":                    true,
		"groups[0].name":          "g",
	}
	for path, want := range cases {
		got, ok, err := s.Get(path)
		if err != nil || !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("Get(%q) = %#v, %v, %v; want %#v", path, got, ok, err, want)
		}
	}
	if got, _, _ := s.Get("stop_duration"); got.(*big.Int).String() != "99999999999999999999999" {
		t.Errorf("big %v", got)
	}
	for _, p := range []string{"nope", "groups[5]", "image.x", "port[0]"} {
		if _, ok, err := s.Get(p); ok || err != nil {
			t.Errorf("Get(%q) found or failed: %v", p, err)
		}
	}
	for _, p := range []string{"", ".a", "image.", "groups[x]", "groups[0", "groups[0]x"} {
		if _, _, err := s.Get(p); !errors.Is(err, ErrUsage) {
			t.Errorf("Get(%q): %v", p, err)
		}
	}
}

func TestBuilder(t *testing.T) {
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Validate(); !errors.Is(err, ErrInvalid) {
		t.Errorf("empty validates: %v", err)
	}
	if _, err := s.JSON(ViewDstack); !errors.Is(err, ErrInvalid) {
		t.Errorf("emit of an invalid build: %v", err)
	}
	if _, err := s.Config(); !errors.Is(err, ErrInvalid) {
		t.Errorf("Config of an invalid build: %v", err)
	}
	steps := []struct {
		path  string
		value any
	}{
		{"port", 8000},
		{"image", "vllm/vllm-openai:latest"},
		{"name", "built"},
		{"resources.gpu", "A100:80GB:2"},
		{"replicas", "1..3"},
		{"scaling", map[string]any{"metric": "rps", "target": 10.0}},
		{"env", map[string]string{"B": "2", "A": "1"}},
		{"python", nil},
		{"privileged", true},
		{"priority", uint8(7)},
		{"max_price", 1.5},
		{"stop_duration", IntOf(60)},
		{"idle_duration", new(big.Int).Lsh(big.NewInt(1), 70)},
		{"backends", []string{"aws", "gcp"}},
		{"commands", [1]string{"echo hi"}},
		{"tags", map[string]any{"team": "1"}},
		{"setup", json.RawMessage(`["a"]`)},
		{"max_duration", float32(60)},
	}
	for _, st := range steps {
		if err := s.Set(st.path, st.value); err != nil {
			t.Fatalf("Set(%q, %v): %v", st.path, st.value, err)
		}
	}
	if err := s.Validate(); err != nil {
		t.Fatalf("validate: %v", err)
	}
	c, err := s.Config()
	if err != nil {
		t.Fatal(err)
	}
	if *c.Name != "built" || c.Replicas.Max.Int64() != 3 || c.Scaling.Target != 10 || *c.Priority != 7 ||
		!c.Privileged || *c.MaxPrice != 1.5 || c.StopDuration.Seconds.Int64() != 60 || c.IdleDuration.IsInt64() ||
		c.Backends[1] != "gcp" || c.Commands[0] != "echo hi" || c.Tags["team"] != "1" || c.Setup[0] != "a" ||
		c.MaxDuration.Seconds.Int64() != 60 {
		t.Errorf("built %+v", c)
	}
	if v, _ := c.Env.Lookup("A"); *v != "1" {
		t.Error("env A")
	}
	if err := s.SetYAML("env", "- HF_TOKEN\n- MODEL=x"); err != nil {
		t.Fatal(err)
	}
	if v, ok, _ := s.Get("env.MODEL"); !ok || v != "x" {
		t.Errorf("env.MODEL %v", v)
	}
	if err := s.Set("port", 70000); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad port: %v", err)
	} else if e := err.(*Error); e.Diagnostics[0].Path != "port" || !strings.HasPrefix(e.Op, "set port") {
		t.Errorf("bad port error %+v", e)
	}
	if v, _, _ := s.Get("port.container_port"); v != int64(8000) {
		t.Errorf("port changed by a rejected Set: %v", v)
	}
	if err := s.SetYAML("resources", "{gpu: ["); !errors.Is(err, ErrSyntax) {
		t.Errorf("bad yaml: %v", err)
	}
	if err := s.Set("python", "3.10"); err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "[conflict]") {
		t.Errorf("image and python: %v", err)
	}
	if err := s.Unset("python"); err != nil {
		t.Fatal(err)
	}
	if err := s.Unset("scaling.target"); !errors.Is(err, ErrInvalid) {
		t.Errorf("unset a needed part: %v", err)
	}
	if err := s.Unset("not_set_anywhere_x"); err == nil {
		t.Log("unset of an unknown field is accepted")
	}
	if err := s.Set("a..b", 1); !errors.Is(err, ErrUsage) {
		t.Errorf("bad path: %v", err)
	}
	if err := s.Set("env", map[string]string{"X": "a"}); err != nil {
		t.Fatal(err)
	}
	var e *Error
	if err := s.Set("env.X", "a\x00b"); err != nil && !errors.As(err, &e) {
		t.Errorf("NUL string: %v", err)
	}
	if err := s.Set("env", map[int]string{1: "x"}); err == nil {
		t.Error("map with int keys accepted")
	}
	if err := s.Set("env", make(chan int)); err == nil {
		t.Error("chan accepted")
	}
	if err := s.Validate(); err != nil {
		t.Fatalf("validate at the end: %v", err)
	}
}

func TestYAMLText(t *testing.T) {
	var nilMap map[string]int
	var nilSlice []int
	var nilPtr *int
	one := 1
	cases := []struct {
		in   any
		want string
	}{
		{1.0, "1.0"}, {1e300, "1.0e+300"}, {2.5, "2.5"}, {uint64(1 << 63), "9223372036854775808"},
		{nilMap, "null"}, {nilSlice, "null"}, {nilPtr, "null"}, {&one, "1"}, {(*Int)(nil), "null"},
		{(*big.Int)(nil), "null"}, {[]byte("hi"), `"aGk="`}, {struct {
			A int `json:"a"`
		}{2}, `{"a":2}`}, {"off", `"off"`},
	}
	for _, c := range cases {
		got, err := yamlText(c.in)
		if err != nil || got != c.want {
			t.Errorf("yamlText(%#v) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	for _, f := range []float64{nan(), inf(1), inf(-1)} {
		if s, _ := yamlText(f); !strings.Contains(s, "inf") && s != ".nan" {
			t.Errorf("yamlText(%v) = %q", f, s)
		}
	}
}

func TestClosed(t *testing.T) {
	s := mustParse(t, minimal)
	other := mustParse(t, minimal)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal("second Close:", err)
	}
	for name, err := range map[string]error{
		"JSON":     func() error { _, e := s.JSON(ViewDstack); return e }(),
		"YAML":     func() error { _, e := s.YAML(ViewMinimal); return e }(),
		"Config":   func() error { _, e := s.Config(); return e }(),
		"Get":      func() error { _, _, e := s.Get("port"); return e }(),
		"Set":      s.Set("port", 1),
		"SetYAML":  s.SetYAML("port", "1"),
		"Unset":    s.Unset("port"),
		"Validate": s.Validate(),
		"Diff":     func() error { _, e := s.Diff(other); return e }(),
		"Diff2":    func() error { _, e := other.Diff(s); return e }(),
		"Marshal":  func() error { _, e := json.Marshal(s); return e }(),
	} {
		if !errors.Is(err, ErrClosed) {
			t.Errorf("%s on a closed Service: %v", name, err)
		}
	}
	if s.Warnings() != nil || s.Source() != "<input>" {
		t.Error("Warnings/Source after Close")
	}
}

func TestDiff(t *testing.T) {
	old := mustParse(t, minimal+"replicas: 1\n")
	same := mustParse(t, "type: service\nport: \"8000\"\nimage: nginx\nreplicas: 1\n")
	d, err := old.Diff(same)
	if err != nil || len(d.Changes) != 0 || d.Verdict != UpdateNone {
		t.Fatalf("no change: %+v %v", d, err)
	}
	if d, err := old.Diff(old); err != nil || d.Verdict != UpdateNone {
		t.Errorf("self diff: %v", err)
	}
	changed := mustParse(t, "type: service\nport: 8000\nimage: nginx:2\nreplicas: 2\nenv: {A: b}\n")
	d, err = old.Diff(changed)
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string]Change{}
	for _, c := range d.Changes {
		byPath[c.Path] = c
	}
	if c := byPath["image"]; c.Update != UpdateRolling || string(c.Old) != `"nginx"` || string(c.New) != `"nginx:2"` {
		t.Errorf("image change %+v", c)
	}
	if c := byPath["env.A"]; c.Old != nil || string(c.New) != `"b"` {
		t.Errorf("env change %+v", c)
	}
	if c, ok := byPath["replicas.min"]; !ok || c.Update != UpdateInPlace {
		t.Errorf("replicas change %+v (%v)", c, d.Changes)
	}
	if d.Verdict != UpdateRolling {
		t.Errorf("verdict %v", d.Verdict)
	}
	back, _ := changed.Diff(old)
	if c := findChange(back, "env.A"); c == nil || c.New != nil {
		t.Errorf("removed key %+v", c)
	}
	restart := mustParse(t, minimal+"replicas: 1\nport: 9000\n")
	if d, _ := old.Diff(restart); d.Verdict == UpdateNone || d.Verdict == UpdateInPlace {
		t.Errorf("port change verdict %v", d.Verdict)
	}
	if _, err := old.Diff(nil); !errors.Is(err, ErrUsage) {
		t.Errorf("nil: %v", err)
	}
	building, _ := New()
	defer building.Close()
	if _, err := old.Diff(building); !errors.Is(err, ErrInvalid) {
		t.Errorf("invalid build: %v", err)
	}
}

func findChange(d *Diff, path string) *Change {
	for i := range d.Changes {
		if d.Changes[i].Path == path {
			return &d.Changes[i]
		}
	}
	return nil
}

func TestSchemaExplain(t *testing.T) {
	for _, d := range []SchemaDraft{SchemaDraft2020_12, SchemaDraft07} {
		s, err := Schema(d)
		if err != nil || !json.Valid(s) {
			t.Errorf("schema %d: %v", d, err)
		}
	}
	if _, err := Schema(SchemaDraft(7)); !errors.Is(err, ErrUsage) {
		t.Errorf("bad draft: %v", err)
	}
	text, err := Explain("resources.gpu")
	if err != nil || !strings.Contains(text, "gpu") {
		t.Errorf("explain: %v %q", err, text)
	}
	if _, err := Explain("nope"); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "port") {
		t.Errorf("explain nope: %v", err)
	}
}

func TestVersions(t *testing.T) {
	if LibraryVersion == "" || HeaderVersion == "" || DstackVersion == "" {
		t.Error("empty version")
	}
	if LibraryVersion != HeaderVersion {
		t.Logf("library %s, headers %s", LibraryVersion, HeaderVersion)
	}
	if !strings.HasPrefix(DstackVersion, "0.") {
		t.Errorf("dstack version %q", DstackVersion)
	}
}

func TestEnvAndIntJSON(t *testing.T) {
	var e Env
	if err := e.UnmarshalJSON([]byte("null")); err != nil || e != nil {
		t.Error("null env")
	}
	if err := e.UnmarshalJSON([]byte("[]")); err == nil {
		t.Error("list env accepted")
	}
	var i Int
	if err := i.UnmarshalJSON([]byte(`"x"`)); err == nil {
		t.Error("string int accepted")
	}
	b := IntOfBig(big.NewInt(-5))
	if !b.IsInt64() || b.Int64() != -5 || b.String() != "-5" {
		t.Error("IntOfBig small")
	}
	neg := IntOfBig(new(big.Int).Neg(new(big.Int).Lsh(big.NewInt(1), 80)))
	if neg.Int64() != -1<<63 || neg.IsInt64() {
		t.Error("negative big")
	}
	var d Duration
	if err := d.UnmarshalJSON([]byte(`"on"`)); err == nil {
		t.Error("duration on accepted")
	}
	var h HTTPS
	if err := h.UnmarshalJSON([]byte(`3`)); err == nil {
		t.Error("https 3 accepted")
	}
	if _, err := os.Stat("."); err != nil {
		t.Fatal(err)
	}
}
