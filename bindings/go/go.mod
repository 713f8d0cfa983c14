module dstackcfg

go 1.22
