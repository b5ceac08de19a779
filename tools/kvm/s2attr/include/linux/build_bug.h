/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __S2ATTR_SHIM_BUILD_BUG_H
#define __S2ATTR_SHIM_BUILD_BUG_H

#define BUILD_BUG_ON(cond)	_Static_assert(!(cond), "BUILD_BUG_ON(" #cond ")")

/* As the kernel's: the message is optional. */
#ifndef static_assert
#define static_assert(expr, ...)	__static_assert(expr, ##__VA_ARGS__, #expr)
#define __static_assert(expr, msg, ...)	_Static_assert(expr, msg)
#endif

#endif
