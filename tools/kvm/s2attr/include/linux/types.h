/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * User-space stand-ins for the few kernel headers the s2attr engine uses,
 * so that the very same engine sources build into the s2attr tool and the
 * host tests. Nothing here is s2attr logic.
 */
#ifndef __S2ATTR_SHIM_TYPES_H
#define __S2ATTR_SHIM_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int32_t s32;
typedef int64_t s64;

#endif
