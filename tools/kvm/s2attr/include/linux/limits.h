/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __S2ATTR_SHIM_LIMITS_H
#define __S2ATTR_SHIM_LIMITS_H

#include <stdint.h>

#define U8_MAX		UINT8_MAX
#define S8_MIN		INT8_MIN
#define U32_MAX		UINT32_MAX

#endif
