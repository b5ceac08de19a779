/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __S2ATTR_SHIM_EXPORT_H
#define __S2ATTR_SHIM_EXPORT_H

#define EXPORT_SYMBOL(sym)
#define EXPORT_SYMBOL_GPL(sym)

#endif
