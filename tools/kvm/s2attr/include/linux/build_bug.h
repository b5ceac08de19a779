/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __S2ATTR_SHIM_BUILD_BUG_H
#define __S2ATTR_SHIM_BUILD_BUG_H

#define BUILD_BUG_ON(cond)	_Static_assert(!(cond), "BUILD_BUG_ON(" #cond ")")

#endif
