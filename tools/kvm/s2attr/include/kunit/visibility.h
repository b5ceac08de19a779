/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __S2ATTR_SHIM_KUNIT_VISIBILITY_H
#define __S2ATTR_SHIM_KUNIT_VISIBILITY_H

#define EXPORT_SYMBOL_IF_KUNIT(sym)
#define VISIBLE_IF_KUNIT

#endif
