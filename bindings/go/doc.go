// Package dstackcfg parses, validates, applies defaults to and serializes
// dstack service configurations (the `type: service` YAML files), through
// cgo over the C library libdstackcfg, which follows dstack 0.22.5's own
// parser: the same files are accepted and rejected, and the dstack view is
// exactly dstack's model_dump(mode="json").
//
//	svc, err := dstackcfg.ParseFile("service.dstack.yml")
//	if err != nil {
//		var e *dstackcfg.Error
//		if errors.As(err, &e) {
//			for _, d := range e.Diagnostics {
//				fmt.Fprintln(os.Stderr, d)
//			}
//		}
//		return err
//	}
//	defer svc.Close()
//	cfg, _ := svc.Config()
//	fmt.Println(cfg.Port.ContainerPort, cfg.Image)
//	out, _ := svc.YAML(dstackcfg.ViewMinimal)
//
// # Reading
//
// [Service.Config] decodes the dstack view into plain Go structs ([Config]
// and the types it nests), so values and their meaning are dstack's: sizes
// in GB, durations in seconds, a pointer or nil slice where dstack has null.
// dstack's integers are unbounded; they are [Int], whose Int64 method gives
// the usual value and Big every value exactly. [Service.Get] reads any value
// by path ("resources.gpu.count.min") as plain Go values.
//
// # Writing
//
// [Service.JSON] and [Service.YAML] serialize a configuration in one of three
// views: [ViewDstack] (model_dump), [ViewEffective] (with the defaults dstack
// resolves later written in) and [ViewMinimal] (only what is set, the form
// `dstackcfg fmt` prints). A Service is a [json.Marshaler] of the dstack view.
//
// # Building and changing
//
// [New] gives an empty configuration; [Service.Set] and [Service.Unset]
// change a field by path through the same field parsers a file goes through,
// and [Service.Validate] checks the rules between fields.
//
// # Errors
//
// A configuration that fails to parse or validate gives an [*Error] carrying
// every [Diagnostic]; errors.Is matches it against [ErrSyntax], [ErrInvalid],
// [ErrLimit], [ErrNoMemory] and [ErrIO]. Warnings (a key written twice, an
// unknown key with WithUnknown(UnknownWarn)) are on [Service.Warnings].
//
// # Memory and goroutines
//
// A Service owns C memory: Close frees it (a finalizer does too, as a safety
// net). Methods on a closed Service return [ErrClosed]. A Service may be used
// from several goroutines at once; its methods are serialized by a lock.
//
// # Building against the library
//
// The package uses `#cgo pkg-config: dstackcfg`: it builds against an
// installed libdstackcfg, or against a build tree with
// PKG_CONFIG_PATH=$REPO/build/meson-uninstalled (and, to run the programs
// without installing, LD_LIBRARY_PATH=$REPO/build/lib).
package dstackcfg
