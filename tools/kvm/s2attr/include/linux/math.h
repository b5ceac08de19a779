/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __S2ATTR_SHIM_MATH_H
#define __S2ATTR_SHIM_MATH_H

#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))

#endif
