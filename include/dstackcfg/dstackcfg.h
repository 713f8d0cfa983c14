/* dstackcfg — parse, validate, default and serialize dstack service configurations.
 * The only header applications include. */
#ifndef DSTACKCFG_H
#define DSTACKCFG_H

#include <dstackcfg/common.h>
#include <dstackcfg/version.h>
#include <dstackcfg/diag.h>
#include <dstackcfg/config.h>
#include <dstackcfg/builder.h>
#include <dstackcfg/diff.h>
#include <dstackcfg/describe.h>

#endif
