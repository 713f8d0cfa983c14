module dstackcfg/examples

go 1.22

require dstackcfg v0.0.0

replace dstackcfg => ../../bindings/go
