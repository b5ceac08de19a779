/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __S2ATTR_SHIM_MODULE_H
#define __S2ATTR_SHIM_MODULE_H

#define MODULE_DESCRIPTION(s)
#define MODULE_LICENSE(s)
#define MODULE_IMPORT_NS(ns)

#endif
