package dstackcfg

// JSON forms of the fields whose dstack type is a union.

import (
	"bytes"
	"encoding/json"
	"fmt"
)

func isNull(data []byte) bool { return bytes.Equal(bytes.TrimSpace(data), []byte("null")) }

// MarshalJSON is `true`, `false` or the reference.
func (g Gateway) MarshalJSON() ([]byte, error) {
	if g.Named != nil {
		return json.Marshal(g.Named)
	}
	return json.Marshal(g.Enabled)
}

// UnmarshalJSON reads a boolean or a reference.
func (g *Gateway) UnmarshalJSON(data []byte) error {
	*g = Gateway{}
	if bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) {
		g.Named = new(EntityReference)
		g.Enabled = true
		return strict(data, g.Named)
	}
	return json.Unmarshal(data, &g.Enabled)
}

// MarshalJSON is `true`, `false` or `"auto"`.
func (h HTTPS) MarshalJSON() ([]byte, error) {
	switch h {
	case HTTPSTrue, HTTPSFalse:
		return []byte(h), nil
	}
	return json.Marshal(string(h))
}

// UnmarshalJSON reads a boolean or a string.
func (h *HTTPS) UnmarshalJSON(data []byte) error {
	var b bool
	if err := json.Unmarshal(data, &b); err == nil {
		*h = HTTPSFalse
		if b {
			*h = HTTPSTrue
		}
		return nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("https: %w", err)
	}
	*h = HTTPS(s)
	return nil
}

type openAIModel struct {
	Type   string  `json:"type"`
	Name   string  `json:"name"`
	Format string  `json:"format"`
	Prefix *string `json:"prefix"`
}

type tgiModel struct {
	Type         string  `json:"type"`
	Name         string  `json:"name"`
	Format       string  `json:"format"`
	ChatTemplate *string `json:"chat_template"`
	EosToken     *string `json:"eos_token"`
}

// MarshalJSON writes the keys of the model's format.
func (m Model) MarshalJSON() ([]byte, error) {
	if m.Format == "tgi" {
		return json.Marshal(tgiModel{m.Type, m.Name, m.Format, m.ChatTemplate, m.EosToken})
	}
	return json.Marshal(openAIModel{m.Type, m.Name, m.Format, m.Prefix})
}

// UnmarshalJSON reads either format.
func (m *Model) UnmarshalJSON(data []byte) error {
	var head struct {
		Format string `json:"format"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return err
	}
	if head.Format == "tgi" {
		var t tgiModel
		if err := strict(data, &t); err != nil {
			return err
		}
		*m = Model{Type: t.Type, Name: t.Name, Format: t.Format, ChatTemplate: t.ChatTemplate, EosToken: t.EosToken}
		return nil
	}
	var o openAIModel
	if err := strict(data, &o); err != nil {
		return err
	}
	*m = Model{Type: o.Type, Name: o.Name, Format: o.Format, Prefix: o.Prefix}
	return nil
}

type retryMapping struct {
	OnEvents []string `json:"on_events"`
	Duration *Int     `json:"duration"`
}

// MarshalJSON is the boolean or the mapping.
func (r Retry) MarshalJSON() ([]byte, error) {
	if r.Enabled != nil {
		return json.Marshal(*r.Enabled)
	}
	return json.Marshal(retryMapping{r.OnEvents, r.Duration})
}

// UnmarshalJSON reads a boolean or a mapping.
func (r *Retry) UnmarshalJSON(data []byte) error {
	*r = Retry{}
	var b bool
	if err := json.Unmarshal(data, &b); err == nil {
		r.Enabled = &b
		return nil
	}
	var m retryMapping
	if err := strict(data, &m); err != nil {
		return err
	}
	r.OnEvents, r.Duration = m.OnEvents, m.Duration
	return nil
}

// MarshalJSON is `"off"` or the seconds.
func (d Duration) MarshalJSON() ([]byte, error) {
	if d.Off {
		return []byte(`"off"`), nil
	}
	return d.Seconds.MarshalJSON()
}

// UnmarshalJSON reads "off" or an integer.
func (d *Duration) UnmarshalJSON(data []byte) error {
	*d = Duration{}
	var s string
	if err := json.Unmarshal(data, &s); err == nil {
		if s != "off" {
			return fmt.Errorf("duration: unexpected %q", s)
		}
		d.Off = true
		return nil
	}
	return d.Seconds.UnmarshalJSON(data)
}

type networkVolume struct {
	Name json.RawMessage `json:"name"`
	Path string          `json:"path"`
}

type instanceVolume struct {
	InstancePath string `json:"instance_path"`
	Path         string `json:"path"`
	Optional     bool   `json:"optional"`
}

// MarshalJSON writes the keys of the volume's kind.
func (v Volume) MarshalJSON() ([]byte, error) {
	if v.InstancePath != "" {
		return json.Marshal(instanceVolume{v.InstancePath, v.Path, v.Optional})
	}
	var name any = v.Name
	if v.Names != nil {
		name = v.Names
	}
	raw, err := json.Marshal(name)
	if err != nil {
		return nil, err
	}
	return json.Marshal(networkVolume{raw, v.Path})
}

// UnmarshalJSON reads either kind.
func (v *Volume) UnmarshalJSON(data []byte) error {
	*v = Volume{}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(data, &probe); err != nil {
		return err
	}
	if _, ok := probe["instance_path"]; ok {
		var iv instanceVolume
		if err := strict(data, &iv); err != nil {
			return err
		}
		v.InstancePath, v.Path, v.Optional = iv.InstancePath, iv.Path, iv.Optional
		return nil
	}
	var nv networkVolume
	if err := strict(data, &nv); err != nil {
		return err
	}
	v.Path = nv.Path
	if bytes.HasPrefix(bytes.TrimSpace(nv.Name), []byte("[")) {
		return json.Unmarshal(nv.Name, &v.Names)
	}
	return json.Unmarshal(nv.Name, &v.Name)
}

type fleetInstance struct {
	Fleet    EntityReference `json:"fleet"`
	Instance Int             `json:"instance"`
}

// MarshalJSON writes the keys of the instance's form.
func (i Instance) MarshalJSON() ([]byte, error) {
	switch {
	case i.Fleet != nil:
		return json.Marshal(fleetInstance{*i.Fleet, i.Instance})
	case i.Hostname != "":
		return json.Marshal(struct {
			Hostname string `json:"hostname"`
		}{i.Hostname})
	}
	return json.Marshal(struct {
		Name string `json:"name"`
	}{i.Name})
}

// UnmarshalJSON reads any of the three forms.
func (i *Instance) UnmarshalJSON(data []byte) error {
	*i = Instance{}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(data, &probe); err != nil {
		return err
	}
	switch {
	case probe["fleet"] != nil:
		var f fleetInstance
		if err := strict(data, &f); err != nil {
			return err
		}
		i.Fleet, i.Instance = &f.Fleet, f.Instance
		return nil
	case probe["hostname"] != nil:
		var h struct {
			Hostname string `json:"hostname"`
		}
		err := strict(data, &h)
		i.Hostname = h.Hostname
		return err
	}
	var n struct {
		Name string `json:"name"`
	}
	err := strict(data, &n)
	i.Name = n.Name
	return err
}

// MarshalJSON writes the mapping in order; a variable from the client's
// environment is {"key": NAME}, as dstack writes it.
func (e Env) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, v := range e {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(v.Name)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		var val []byte
		if v.Value == nil {
			val, err = json.Marshal(map[string]string{"key": v.Name})
		} else {
			val, err = json.Marshal(*v.Value)
		}
		if err != nil {
			return nil, err
		}
		b.Write(val)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads the mapping, keeping its order.
func (e *Env) UnmarshalJSON(data []byte) error {
	*e = nil
	if isNull(data) {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return fmt.Errorf("env: not a mapping")
	}
	out := Env{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		name, _ := t.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return err
		}
		v := EnvVar{Name: name}
		if !bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) {
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				return fmt.Errorf("env.%s: %w", name, err)
			}
			v.Value = &s
		}
		out = append(out, v)
	}
	*e = out
	return nil
}
