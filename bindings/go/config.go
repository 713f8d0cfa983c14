package dstackcfg

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Config is a service configuration as plain Go values, decoded from the
// dstack view (dstack's model_dump(mode="json")): one field per root key,
// in dstack's order, with the same meaning: sizes in GB, durations in
// seconds. A pointer, or a nil slice or map, is dstack's null. Marshaling a
// Config to JSON gives the dstack view again.
type Config struct {
	Port              PortMapping        `json:"port"`
	Gateway           *Gateway           `json:"gateway"`
	StripPrefix       bool               `json:"strip_prefix"`
	Model             *Model             `json:"model"`
	HTTPS             *HTTPS             `json:"https"`
	Auth              bool               `json:"auth"`
	Scaling           *Scaling           `json:"scaling"`
	RateLimits        []RateLimit        `json:"rate_limits"`
	Probes            []Probe            `json:"probes"`
	Replicas          *IntRange          `json:"replicas"`
	Groups            []ReplicaGroup     `json:"groups"`
	Commands          []string           `json:"commands"`
	Type              string             `json:"type"`
	Name              *string            `json:"name"`
	Image             *string            `json:"image"`
	User              *string            `json:"user"`
	Privileged        bool               `json:"privileged"`
	Entrypoint        *string            `json:"entrypoint"`
	WorkingDir        *string            `json:"working_dir"`
	HomeDir           string             `json:"home_dir"`
	RegistryAuth      *RegistryAuth      `json:"registry_auth"`
	Python            *string            `json:"python"`
	Nvcc              *bool              `json:"nvcc"`
	SingleBranch      *bool              `json:"single_branch"`
	Env               Env                `json:"env"`
	Shell             *string            `json:"shell"`
	Resources         Resources          `json:"resources"`
	Priority          *int               `json:"priority"`
	Volumes           []Volume           `json:"volumes"`
	Docker            *bool              `json:"docker"`
	Repos             []Repo             `json:"repos"`
	Files             []FileMapping      `json:"files"`
	Dstack            bool               `json:"dstack"`
	Setup             []string           `json:"setup"`
	Backends          []string           `json:"backends"`
	Regions           []string           `json:"regions"`
	AvailabilityZones []string           `json:"availability_zones"`
	InstanceTypes     []string           `json:"instance_types"`
	Reservation       *string            `json:"reservation"`
	SpotPolicy        *string            `json:"spot_policy"`
	Retry             *Retry             `json:"retry"`
	MaxDuration       *Duration          `json:"max_duration"`
	StopDuration      *Duration          `json:"stop_duration"`
	MaxPrice          *float64           `json:"max_price"`
	CreationPolicy    *string            `json:"creation_policy"`
	IdleDuration      *Int               `json:"idle_duration"`
	UtilizationPolicy *UtilizationPolicy `json:"utilization_policy"`
	StartupOrder      *string            `json:"startup_order"`
	StopCriteria      *string            `json:"stop_criteria"`
	Schedule          *Schedule          `json:"schedule"`
	Fleets            []EntityReference  `json:"fleets"`
	Instances         []Instance         `json:"instances"`
	Tags              map[string]string  `json:"tags"`
	BackendOptions    []BackendOptions   `json:"backend_options"`
}

// PortMapping is `port`: the app's port and the port on the proxy side.
type PortMapping struct {
	LocalPort     *int `json:"local_port"`
	ContainerPort int  `json:"container_port"`
}

// EntityReference names a gateway or fleet, optionally of another project.
type EntityReference struct {
	Project *string `json:"project"`
	Name    string  `json:"name"`
}

// Gateway is `gateway`: `true`/`false` (Named nil), or a named gateway.
type Gateway struct {
	Enabled bool
	Named   *EntityReference
}

// HTTPS is `https`: "true", "false" or "auto".
type HTTPS string

const (
	HTTPSTrue  HTTPS = "true"
	HTTPSFalse HTTPS = "false"
	HTTPSAuto  HTTPS = "auto"
)

// Model is `model`, in the OpenAI format (Prefix set) or the TGI format
// (ChatTemplate and EosToken, either possibly null).
type Model struct {
	Type         string  // "chat"
	Name         string  // the model's name
	Format       string  // "openai" or "tgi"
	Prefix       *string // OpenAI only: "/v1" by default
	ChatTemplate *string // TGI only
	EosToken     *string // TGI only
}

// Scaling is `scaling`: autoscaling on requests per second.
type Scaling struct {
	Metric         string  `json:"metric"`
	Target         float64 `json:"target"`
	Window         *Int    `json:"window"` // seconds; null means 60
	ScaleUpDelay   Int     `json:"scale_up_delay"`
	ScaleDownDelay Int     `json:"scale_down_delay"`
}

// RateLimitKey is how requests are partitioned: "ip_address", or "header" with Header.
type RateLimitKey struct {
	Type   string  `json:"type"`
	Header *string `json:"header,omitempty"`
}

// RateLimit is one item of `rate_limits`.
type RateLimit struct {
	Prefix string       `json:"prefix"`
	Key    RateLimitKey `json:"key"`
	RPS    float64      `json:"rps"`
	Burst  Int          `json:"burst"`
}

// ProbeHeader is an HTTP header a probe sends.
type ProbeHeader struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Probe is one item of `probes`: an HTTP readiness probe.
type Probe struct {
	Type       string        `json:"type"`
	URL        *string       `json:"url"`
	Method     *string       `json:"method"`
	Headers    []ProbeHeader `json:"headers"`
	Body       *string       `json:"body"`
	Timeout    *Int          `json:"timeout"`
	Interval   *Int          `json:"interval"`
	ReadyAfter *Int          `json:"ready_after"`
	UntilReady *bool         `json:"until_ready"`
}

// IntRange is a count range; nil is an open bound.
type IntRange struct {
	Min *Int `json:"min"`
	Max *Int `json:"max"`
}

// SizeRange is a memory or disk size range in GB; nil is an open bound.
type SizeRange struct {
	Min *float64 `json:"min"`
	Max *float64 `json:"max"`
}

// CPU is `resources.cpu`.
type CPU struct {
	Arch  *string  `json:"arch"`
	Count IntRange `json:"count"`
}

// GPU is `resources.gpu`.
type GPU struct {
	Vendor            *string    `json:"vendor"`
	Name              []string   `json:"name"`
	Count             IntRange   `json:"count"`
	Memory            *SizeRange `json:"memory"`
	TotalMemory       *SizeRange `json:"total_memory"`
	ComputeCapability []Int      `json:"compute_capability"` // [major, minor]
}

// Disk is `resources.disk`.
type Disk struct {
	Size SizeRange `json:"size"`
}

// Resources is `resources` (of the service, or of a replica group).
type Resources struct {
	CPU     CPU       `json:"cpu"`
	Memory  SizeRange `json:"memory"`
	ShmSize *float64  `json:"shm_size"`
	GPU     *GPU      `json:"gpu"`
	Disk    *Disk     `json:"disk"`
}

// Router is `groups[].router`.
type Router struct {
	Type string `json:"type"`
}

// ReplicaGroup is one item of `groups` (or of the list form of `replicas`).
type ReplicaGroup struct {
	Name        *string   `json:"name"`
	Replicas    IntRange  `json:"replicas"`
	Scaling     *Scaling  `json:"scaling"`
	Resources   Resources `json:"resources"`
	SpotPolicy  *string   `json:"spot_policy"`
	Reservation *string   `json:"reservation"`
	Commands    []string  `json:"commands"`
	Image       *string   `json:"image"`
	Python      *string   `json:"python"`
	Nvcc        *bool     `json:"nvcc"`
	Docker      *bool     `json:"docker"`
	Privileged  *bool     `json:"privileged"`
	Router      *Router   `json:"router"`
}

// RegistryAuth is `registry_auth`; String leaves the password out.
type RegistryAuth struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// String shows the user name only.
func (r RegistryAuth) String() string { return fmt.Sprintf("{%s ***}", r.Username) }

// Volume is one item of `volumes`: a network volume (Name, or Names to pick
// one from) or, when InstancePath is set, a host directory.
type Volume struct {
	Name         string
	Names        []string
	InstancePath string
	Path         string
	Optional     bool // instance volumes only
}

// Repo is one item of `repos`.
type Repo struct {
	LocalPath *string `json:"local_path"`
	URL       *string `json:"url"`
	Branch    *string `json:"branch"`
	Hash      *string `json:"hash"`
	Path      string  `json:"path"`
	IfExists  string  `json:"if_exists"`
}

// FileMapping is one item of `files`.
type FileMapping struct {
	LocalPath string `json:"local_path"`
	Path      string `json:"path"`
}

// Retry is `retry`: the boolean form (Enabled set, the rest empty) or the
// mapping form.
type Retry struct {
	Enabled  *bool
	OnEvents []string // nil: null
	Duration *Int     // seconds
}

// Duration is `max_duration` or `stop_duration`: "off", or seconds.
type Duration struct {
	Off     bool
	Seconds Int
}

// UtilizationPolicy is `utilization_policy`.
type UtilizationPolicy struct {
	MinGPUUtilization int `json:"min_gpu_utilization"`
	TimeWindow        Int `json:"time_window"` // seconds
}

// Schedule is `schedule`: crontab expressions (UTC).
type Schedule struct {
	Cron []string `json:"cron"`
}

// Instance is one item of `instances`: by Name, by Hostname, or a Fleet
// and an instance number.
type Instance struct {
	Name     string
	Hostname string
	Fleet    *EntityReference
	Instance Int
}

// BackendOptions is one item of `backend_options` (vastai).
type BackendOptions struct {
	Type           string   `json:"type"`
	OfferOrder     *string  `json:"offer_order"`
	MinReliability *float64 `json:"min_reliability"`
	MinScore       *Int     `json:"min_score"`
}

// EnvVar is one environment variable; Value is nil when it is taken from
// the client's environment (`- NAME`).
type EnvVar struct {
	Name  string
	Value *string
}

// Env is `env`, in the order written.
type Env []EnvVar

// Lookup is the variable's value and whether it is set.
func (e Env) Lookup(name string) (value *string, ok bool) {
	for _, v := range e {
		if v.Name == name {
			return v.Value, true
		}
	}
	return nil, false
}

// decodeConfig reads the dstack view, refusing any key Config does not
// have (the library and the binding must agree on every field).
func decodeConfig(data []byte) (*Config, error) {
	c := new(Config)
	if err := strict(data, c); err != nil {
		return nil, fmt.Errorf("dstackcfg: decoding the dstack view: %w", err)
	}
	return c, nil
}

func strict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}
