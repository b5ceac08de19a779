/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __S2ATTR_SHIM_KERNEL_H
#define __S2ATTR_SHIM_KERNEL_H

#include <limits.h>
#include <stdio.h>

#include <linux/limits.h>
#include <linux/types.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define __maybe_unused	__attribute__((__unused__))

#endif
