module dstackcfg/bench

go 1.22

require (
	dstackcfg v0.0.0
	gopkg.in/yaml.v3 v3.0.1
)

replace dstackcfg => ../
