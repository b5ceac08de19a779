// SPDX-License-Identifier: GPL-2.0-only
/*
 * A test device that hands user space the kinds of memory KVM/arm64 maps at
 * stage 2 through hva_to_pfn_remapped(): VM_PFNMAP and VM_MIXEDMAP mappings
 * of RAM the kernel was told to ignore with mem= (no linear map, no struct
 * page, as device memory behind a GPU or CXL driver), with the stage-1
 * memory type and VM_ALLOW_ANY_UNCACHED of the caller's choice, shared or
 * private, by PTEs or, as vfio_pci_mmap_huge_fault() does for a BAR, by PMD
 * leaves, or as TTM maps a buffer object in VRAM: a cacheable vm_page_prot
 * and write-combined or uncached PTEs inserted on fault; and cacheable
 * VM_PFNMAP mappings of pages the driver allocates (in the linear map, the
 * /dev/mem case).
 *
 * It also reports the reference count of the page at a user address, so
 * that a test can show that KVM releases the pfn of a fault it refuses.
 *
 * The interface, the refusals and their log lines are described in
 * test_s2attr_pfnmap_uapi.h.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/kref.h>
#include <linux/memory_hotplug.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/pfn.h>
#include <linux/pfn_t.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "test_s2attr_pfnmap_uapi.h"

/* The most TEST_S2ATTR_BACKING_KERNEL memory one mmap() allocates. */
#define TEST_S2ATTR_KERNEL_MAX	(PAGE_SIZE << MAX_PAGE_ORDER)

/* VMA_TTM: the pages one fault maps, as TTM_BO_VM_NUM_PREFAULT. */
#define TEST_S2ATTR_TTM_PREFAULT	16

/* hidden=SIZE@BASE as given, and the region served once init accepted it. */
static phys_addr_t hidden_param_base, hidden_param_size;
static phys_addr_t hidden_base __ro_after_init;
static phys_addr_t hidden_size __ro_after_init;
static bool hidden_claimed __ro_after_init;

static int hidden_param_set(const char *val, const struct kernel_param *kp)
{
	unsigned long long size, base;
	const char *at;
	char *end;

	size = memparse(val, &end);
	if (end == val || *end != '@')
		goto bad;
	at = end + 1;
	base = memparse(at, &end);
	if (end == at || (*end && *end != '\n'))
		goto bad;

	hidden_param_base = base;
	hidden_param_size = size;
	return 0;

bad:
	pr_err("hidden=%s refused: expected SIZE@BASE, e.g. 256M@0x70000000\n",
	       val);
	return -EINVAL;
}

static int hidden_param_get(char *buffer, const struct kernel_param *kp)
{
	return scnprintf(buffer, PAGE_SIZE, "%#llx@%#llx\n",
			 (unsigned long long)hidden_param_size,
			 (unsigned long long)hidden_param_base);
}

static const struct kernel_param_ops hidden_param_ops = {
	.set	= hidden_param_set,
	.get	= hidden_param_get,
};

module_param_cb(hidden, &hidden_param_ops, NULL, 0444);
MODULE_PARM_DESC(hidden,
		 "SIZE@BASE of RAM hidden from the kernel with mem=, e.g. 256M@0x70000000");

/* What TEST_S2ATTR_PFNMAP_SET stored for the next mmap() of a file. */
struct test_s2attr_file {
	struct mutex			lock;	/* protects configured and req */
	bool				configured;
	struct test_s2attr_pfnmap_req	req;
};

/* One mmap(), shared by the VMAs that splitting, mremap() and fork() make. */
struct test_s2attr_map {
	struct kref	ref;
	unsigned long	pfn;		/* the first page of the mapping */
	unsigned long	npages;
	u32		memtype;	/* VMA_TTM: the type of the PTEs */
	void		*kaddr;		/* BACKING_KERNEL: the pages, or NULL */
	size_t		ksize;
};

static void test_s2attr_map_release(struct kref *ref)
{
	struct test_s2attr_map *map = container_of(ref, struct test_s2attr_map, ref);

	if (map->kaddr)
		free_pages_exact(map->kaddr, map->ksize);
	kfree(map);
}

static void test_s2attr_vm_open(struct vm_area_struct *vma)
{
	struct test_s2attr_map *map = vma->vm_private_data;

	kref_get(&map->ref);
}

/* Called once the VMA's page table entries are gone. */
static void test_s2attr_vm_close(struct vm_area_struct *vma)
{
	struct test_s2attr_map *map = vma->vm_private_data;

	kref_put(&map->ref, test_s2attr_map_release);
}

/*
 * VM_MIXEDMAP: insert the pfn on fault. With pfn_t flags of 0 the PTE is
 * special and not devmap, whether or not the pfn has a struct page, so
 * vm_normal_page() ignores it and follow_pfnmap_start(), which KVM's
 * hva_to_pfn_remapped() calls because the VMA has VM_IO, finds it.
 * mmap() refuses a non-zero offset, so vmf->pgoff indexes the mapping.
 */
static vm_fault_t test_s2attr_vm_fault(struct vm_fault *vmf)
{
	struct test_s2attr_map *map = vmf->vma->vm_private_data;

	if (vmf->pgoff >= map->npages)
		return VM_FAULT_SIGBUS;

	return vmf_insert_mixed(vmf->vma, vmf->address,
				pfn_to_pfn_t(map->pfn + vmf->pgoff));
}

/*
 * VM_PFNMAP_HUGE, order 0: one PTE, as vfio_pci_mmap_page_fault() does.
 * mmap() refuses a non-zero offset, so vmf->pgoff indexes the mapping.
 */
static vm_fault_t test_s2attr_vm_fault_pfn(struct vm_fault *vmf)
{
	struct test_s2attr_map *map = vmf->vma->vm_private_data;

	if (vmf->pgoff >= map->npages)
		return VM_FAULT_SIGBUS;

	return vmf_insert_pfn(vmf->vma, vmf->address, map->pfn + vmf->pgoff);
}

static pgprot_t test_s2attr_prot(pgprot_t prot, u32 memtype)
{
	switch (memtype) {
	case TEST_S2ATTR_MT_NORMAL_NC:
		return pgprot_writecombine(prot);
	case TEST_S2ATTR_MT_DEVICE_NGNRNE:
		return pgprot_noncached(prot);
	case TEST_S2ATTR_MT_DEVICE_NGNRE:
		return pgprot_device(prot);
	default:
		return prot;
	}
}

/*
 * VMA_TTM, as ttm_bo_vm_fault_reserved() fills the VMA of a buffer object
 * in VRAM: each PTE gets vm_page_prot as it is now (mprotect() may have
 * changed its permissions) with the caching of the request, which the VMA
 * does not have. The faulting page and the ones after it, up to
 * TEST_S2ATTR_TTM_PREFAULT and the end of the VMA, are mapped; only the
 * faulting page may fail the fault (TTM retries it instead, which would
 * loop on an error that does not go away). An entry that is already there
 * is left alone.
 */
static vm_fault_t test_s2attr_vm_fault_ttm(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct test_s2attr_map *map = vma->vm_private_data;
	pgprot_t prot = test_s2attr_prot(vma->vm_page_prot, map->memtype);
	unsigned long addr = vmf->address & PAGE_MASK;
	pgoff_t pgoff = vmf->pgoff;
	vm_fault_t ret;
	unsigned int i;

	if (pgoff >= map->npages)
		return VM_FAULT_SIGBUS;

	ret = vmf_insert_pfn_prot(vma, addr, map->pfn + pgoff, prot);
	if (ret & VM_FAULT_ERROR)
		return ret;

	for (i = 1; i < TEST_S2ATTR_TTM_PREFAULT; i++) {
		addr += PAGE_SIZE;
		pgoff++;
		if (addr >= vma->vm_end || pgoff >= map->npages)
			break;
		if (vmf_insert_pfn_prot(vma, addr, map->pfn + pgoff, prot) & VM_FAULT_ERROR)
			break;
	}
	return ret;
}

#ifdef CONFIG_ARCH_SUPPORTS_PMD_PFNMAP
/*
 * VM_PFNMAP_HUGE: a PMD leaf when the PMD-sized range around the address is
 * inside the VMA and its first pfn is PMD aligned, as
 * vfio_pci_mmap_huge_fault() does; otherwise the core falls back to
 * ->fault.
 */
static vm_fault_t test_s2attr_vm_huge_fault(struct vm_fault *vmf,
					    unsigned int order)
{
	struct vm_area_struct *vma = vmf->vma;
	struct test_s2attr_map *map = vma->vm_private_data;
	unsigned long addr = vmf->address & ~((PAGE_SIZE << order) - 1);
	unsigned long pfn;

	if (!order)
		return test_s2attr_vm_fault_pfn(vmf);
	if (order != PMD_ORDER)
		return VM_FAULT_FALLBACK;

	pfn = map->pfn + ((addr - vma->vm_start) >> PAGE_SHIFT);
	if (addr < vma->vm_start || addr + PMD_SIZE > vma->vm_end ||
	    !IS_ALIGNED(pfn, 1UL << PMD_ORDER))
		return VM_FAULT_FALLBACK;

	return vmf_insert_pfn_pmd(vmf, __pfn_to_pfn_t(pfn, PFN_DEV),
				  vmf->flags & FAULT_FLAG_WRITE);
}
#endif

/* VM_PFNMAP: remap_pfn_range() filled every PTE at mmap() time. */
static const struct vm_operations_struct test_s2attr_pfnmap_vm_ops = {
	.open	= test_s2attr_vm_open,
	.close	= test_s2attr_vm_close,
};

static const struct vm_operations_struct test_s2attr_mixedmap_vm_ops = {
	.open	= test_s2attr_vm_open,
	.close	= test_s2attr_vm_close,
	.fault	= test_s2attr_vm_fault,
};

static const struct vm_operations_struct test_s2attr_ttm_vm_ops = {
	.open	= test_s2attr_vm_open,
	.close	= test_s2attr_vm_close,
	.fault	= test_s2attr_vm_fault_ttm,
};

#ifdef CONFIG_ARCH_SUPPORTS_PMD_PFNMAP
static const struct vm_operations_struct test_s2attr_pfnmap_huge_vm_ops = {
	.open		= test_s2attr_vm_open,
	.close		= test_s2attr_vm_close,
	.fault		= test_s2attr_vm_fault_pfn,
	.huge_fault	= test_s2attr_vm_huge_fault,
};
#endif

static int test_s2attr_open(struct inode *inode, struct file *file)
{
	struct test_s2attr_file *tf;

	tf = kzalloc(sizeof(*tf), GFP_KERNEL);
	if (!tf)
		return -ENOMEM;

	mutex_init(&tf->lock);
	file->private_data = tf;
	return 0;
}

static int test_s2attr_release(struct inode *inode, struct file *file)
{
	struct test_s2attr_file *tf = file->private_data;

	mutex_destroy(&tf->lock);
	kfree(tf);
	return 0;
}

static int test_s2attr_check_req(const struct test_s2attr_pfnmap_req *req)
{
	switch (req->backing) {
	case TEST_S2ATTR_BACKING_HIDDEN:
	case TEST_S2ATTR_BACKING_KERNEL:
		break;
	default:
		pr_info("SET refused: unknown backing %u\n", req->backing);
		return -EINVAL;
	}

	switch (req->vma) {
	case TEST_S2ATTR_VMA_PFNMAP:
	case TEST_S2ATTR_VMA_MIXEDMAP:
	case TEST_S2ATTR_VMA_PFNMAP_HUGE:
	case TEST_S2ATTR_VMA_TTM:
		break;
	default:
		pr_info("SET refused: unknown vma %u\n", req->vma);
		return -EINVAL;
	}

	switch (req->memtype) {
	case TEST_S2ATTR_MT_NORMAL:
	case TEST_S2ATTR_MT_NORMAL_NC:
	case TEST_S2ATTR_MT_DEVICE_NGNRNE:
	case TEST_S2ATTR_MT_DEVICE_NGNRE:
		break;
	default:
		pr_info("SET refused: unknown memtype %u\n", req->memtype);
		return -EINVAL;
	}

	if (req->flags & ~TEST_S2ATTR_ALLOW_ANY_UC) {
		pr_info("SET refused: unknown flags %#x\n",
			req->flags & ~TEST_S2ATTR_ALLOW_ANY_UC);
		return -EINVAL;
	}

	if (req->vma == TEST_S2ATTR_VMA_PFNMAP_HUGE &&
	    !IS_ENABLED(CONFIG_ARCH_SUPPORTS_PMD_PFNMAP)) {
		pr_info("SET refused: PFNMAP_HUGE needs CONFIG_ARCH_SUPPORTS_PMD_PFNMAP\n");
		return -EOPNOTSUPP;
	}

	/*
	 * What a TTM mapping is for: PTEs whose type is not that of the VMA.
	 * Cacheable ones would be a PFNMAP_HUGE mapping by PTEs.
	 */
	if (req->vma == TEST_S2ATTR_VMA_TTM && req->memtype == TEST_S2ATTR_MT_NORMAL) {
		pr_info("SET refused: TTM takes a non-cacheable memtype, vm_page_prot is cacheable\n");
		return -EINVAL;
	}

	if (req->backing == TEST_S2ATTR_BACKING_KERNEL) {
		/*
		 * The linear map is cacheable: a non-cacheable user mapping
		 * of the same pages would be a mismatched alias.
		 */
		if (req->vma != TEST_S2ATTR_VMA_PFNMAP ||
		    req->memtype != TEST_S2ATTR_MT_NORMAL ||
		    (req->flags & TEST_S2ATTR_ALLOW_ANY_UC)) {
			pr_info("SET refused: KERNEL backing is mapped only as cacheable PFNMAP\n");
			return -EINVAL;
		}
		if (req->offset) {
			pr_info("SET refused: offset %#llx, KERNEL backing takes none\n",
				req->offset);
			return -EINVAL;
		}
		return 0;
	}

	if (!hidden_size) {
		pr_info("SET refused: HIDDEN backing but no hidden region\n");
		return -ENODEV;
	}
	if (!PAGE_ALIGNED(req->offset)) {
		pr_info("SET refused: offset %#llx is not page aligned\n",
			req->offset);
		return -EINVAL;
	}
	if (req->offset >= hidden_size) {
		pr_info("SET refused: offset %#llx is beyond the %#llx-byte hidden region\n",
			req->offset, (unsigned long long)hidden_size);
		return -EINVAL;
	}

	return 0;
}

/*
 * The page mapped at @pc->addr, with a reference of ours, or an ERR_PTR().
 * A VM_PFNMAP or VM_IO mapping is read with follow_pfnmap_start(), as KVM's
 * hva_to_pfn_remapped() does; other memory with get_user_pages_fast_only(),
 * which does not mark the page accessed (that could add a reference of the
 * LRU batches) nor fault it in.
 */
static struct page *test_s2attr_user_page(struct test_s2attr_pfnmap_page_count *pc)
{
	unsigned long addr = untagged_addr(pc->addr);
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	struct page *page = NULL;
	unsigned long pfn;
	bool remapped;

	mmap_read_lock(mm);
	vma = vma_lookup(mm, addr);
	if (!vma) {
		mmap_read_unlock(mm);
		pr_info("PAGE_COUNT refused: no mapping at %#lx\n", addr);
		return ERR_PTR(-EFAULT);
	}
	remapped = vma->vm_flags & (VM_IO | VM_PFNMAP);
	if (remapped) {
		struct follow_pfnmap_args args = { .vma = vma, .address = addr };

		if (follow_pfnmap_start(&args)) {
			mmap_read_unlock(mm);
			pr_info("PAGE_COUNT refused: nothing mapped at %#lx\n", addr);
			return ERR_PTR(-EFAULT);
		}
		pfn = args.pfn;
		/*
		 * Under the page table lock the pfn stays mapped, and a driver
		 * unmaps its pages before it frees them. One that does not
		 * count references (a tail page of a non-compound allocation)
		 * has a count of 0, as KVM's kvm_try_get_pfn() finds.
		 */
		page = pfn_to_online_page(pfn);
		if (page && !get_page_unless_zero(page))
			page = NULL;
		follow_pfnmap_end(&args);
	}
	mmap_read_unlock(mm);

	if (!remapped) {
		if (get_user_pages_fast_only(addr, 1, 0, &page) != 1) {
			pr_info("PAGE_COUNT refused: nothing mapped at %#lx\n", addr);
			return ERR_PTR(-EFAULT);
		}
		pfn = page_to_pfn(page);
	}
	if (!page) {
		pr_info("PAGE_COUNT refused: %#lx maps pfn %#lx, which has no struct page or a count of 0\n",
			addr, pfn);
		return ERR_PTR(-EINVAL);
	}
	pc->pfn = pfn;
	return page;
}

static int test_s2attr_page_count(void __user *uarg)
{
	struct test_s2attr_pfnmap_page_count pc;
	struct page *page;

	if (copy_from_user(&pc, uarg, sizeof(pc)))
		return -EFAULT;

	page = test_s2attr_user_page(&pc);
	if (IS_ERR(page))
		return PTR_ERR(page);
	/* Less our own reference. */
	pc.count = page_count(page) - 1;
	pc.pad = 0;
	put_page(page);

	if (copy_to_user(uarg, &pc, sizeof(pc)))
		return -EFAULT;
	return 0;
}

static long test_s2attr_ioctl(struct file *file, unsigned int cmd,
			      unsigned long arg)
{
	struct test_s2attr_file *tf = file->private_data;
	void __user *uarg = (void __user *)arg;
	struct test_s2attr_pfnmap_info info;
	struct test_s2attr_pfnmap_req req;
	int ret;

	switch (cmd) {
	case TEST_S2ATTR_PFNMAP_INFO:
		info = (struct test_s2attr_pfnmap_info) {
			.hidden_base	= hidden_size ? hidden_base : 0,
			.hidden_size	= hidden_size,
		};
		if (copy_to_user(uarg, &info, sizeof(info)))
			return -EFAULT;
		return 0;

	case TEST_S2ATTR_PFNMAP_SET:
		if (copy_from_user(&req, uarg, sizeof(req)))
			return -EFAULT;
		ret = test_s2attr_check_req(&req);
		if (ret)
			return ret;

		mutex_lock(&tf->lock);
		tf->req = req;
		tf->configured = true;
		mutex_unlock(&tf->lock);
		return 0;

	case TEST_S2ATTR_PFNMAP_PAGE_COUNT:
		return test_s2attr_page_count(uarg);

	default:
		return -ENOTTY;
	}
}

/*
 * BACKING_KERNEL: physically contiguous, because remap_pfn_range() of a
 * private mapping must cover the whole VMA in one call. The SET checks made
 * sure the user mapping is cacheable, like the linear map through which the
 * pages were zeroed.
 */
static int test_s2attr_alloc_kernel(struct test_s2attr_map *map,
				    unsigned long size)
{
	if (size > TEST_S2ATTR_KERNEL_MAX) {
		pr_info("mmap refused: %#lx bytes of KERNEL backing, at most %#lx\n",
			size, TEST_S2ATTR_KERNEL_MAX);
		return -EINVAL;
	}

	map->kaddr = alloc_pages_exact(size, GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN);
	if (!map->kaddr) {
		pr_info("mmap refused: cannot allocate %#lx bytes of KERNEL backing\n",
			size);
		return -ENOMEM;
	}

	map->ksize = size;
	map->pfn = virt_to_pfn(map->kaddr);
	return 0;
}

static int test_s2attr_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct test_s2attr_file *tf = file->private_data;
	unsigned long size = vma->vm_end - vma->vm_start;
	struct test_s2attr_pfnmap_req req;
	struct test_s2attr_map *map;
	bool configured;
	int ret;

	mutex_lock(&tf->lock);
	configured = tf->configured;
	req = tf->req;
	mutex_unlock(&tf->lock);

	if (!configured) {
		pr_info("mmap refused: no TEST_S2ATTR_PFNMAP_SET on this file\n");
		return -EINVAL;
	}
	if (vma->vm_pgoff) {
		pr_info("mmap refused: offset %#lx, the offset is set with TEST_S2ATTR_PFNMAP_SET\n",
			vma->vm_pgoff << PAGE_SHIFT);
		return -EINVAL;
	}
	/* vmf_insert_pfn*() BUG() on a COW VM_PFNMAP mapping. */
	if ((req.vma == TEST_S2ATTR_VMA_PFNMAP_HUGE || req.vma == TEST_S2ATTR_VMA_TTM) &&
	    is_cow_mapping(vma->vm_flags)) {
		pr_info("mmap refused: %s needs MAP_SHARED\n",
			req.vma == TEST_S2ATTR_VMA_TTM ? "TTM" : "PFNMAP_HUGE");
		return -EINVAL;
	}
	if (req.backing == TEST_S2ATTR_BACKING_HIDDEN &&
	    size > hidden_size - req.offset) {
		pr_info("mmap refused: %#lx bytes from offset %#llx is beyond the %#llx-byte hidden region\n",
			size, req.offset, (unsigned long long)hidden_size);
		return -EINVAL;
	}

	map = kzalloc(sizeof(*map), GFP_KERNEL);
	if (!map)
		return -ENOMEM;
	kref_init(&map->ref);
	map->npages = size >> PAGE_SHIFT;
	map->memtype = req.memtype;

	if (req.backing == TEST_S2ATTR_BACKING_KERNEL) {
		ret = test_s2attr_alloc_kernel(map, size);
		if (ret)
			goto err_free_map;
	} else {
		map->pfn = PHYS_PFN(hidden_base + req.offset);
	}

	/* TTM leaves vm_page_prot alone; its fault handler sets the PTEs' type. */
	if (req.vma != TEST_S2ATTR_VMA_TTM)
		vma->vm_page_prot = test_s2attr_prot(vma->vm_page_prot, req.memtype);
	if (req.flags & TEST_S2ATTR_ALLOW_ANY_UC)
		vm_flags_set(vma, VM_ALLOW_ANY_UNCACHED);

	/*
	 * VM_DONTEXPAND: mremap() cannot grow the mapping beyond what was
	 * allocated or checked here; it also keeps the VMA from being merged.
	 */
	if (req.vma == TEST_S2ATTR_VMA_PFNMAP) {
		/* Sets VM_PFNMAP | VM_IO | VM_DONTEXPAND | VM_DONTDUMP. */
		ret = remap_pfn_range(vma, vma->vm_start, map->pfn, size,
				      vma->vm_page_prot);
		if (ret) {
			pr_info("mmap refused: remap_pfn_range() failed: %d\n",
				ret);
			goto err_free_map;
		}
		vma->vm_ops = &test_s2attr_pfnmap_vm_ops;
#ifdef CONFIG_ARCH_SUPPORTS_PMD_PFNMAP
	} else if (req.vma == TEST_S2ATTR_VMA_PFNMAP_HUGE) {
		/* As vfio_pci_core_mmap(): filled by the fault handlers. */
		vm_flags_set(vma, VM_PFNMAP | VM_IO | VM_DONTEXPAND | VM_DONTDUMP);
		vma->vm_ops = &test_s2attr_pfnmap_huge_vm_ops;
#endif
	} else if (req.vma == TEST_S2ATTR_VMA_TTM) {
		/* As ttm_bo_mmap_obj(). */
		vm_flags_set(vma, VM_PFNMAP | VM_IO | VM_DONTEXPAND | VM_DONTDUMP);
		vma->vm_ops = &test_s2attr_ttm_vm_ops;
	} else {
		vm_flags_set(vma, VM_MIXEDMAP | VM_IO | VM_DONTEXPAND | VM_DONTDUMP);
		vma->vm_ops = &test_s2attr_mixedmap_vm_ops;
	}
	vma->vm_private_data = map;
	return 0;

err_free_map:
	kref_put(&map->ref, test_s2attr_map_release);
	return ret;
}

static const struct file_operations test_s2attr_fops = {
	.owner		= THIS_MODULE,
	.open		= test_s2attr_open,
	.release	= test_s2attr_release,
	.unlocked_ioctl	= test_s2attr_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.mmap		= test_s2attr_mmap,
	.llseek		= noop_llseek,
};

static struct miscdevice test_s2attr_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "test_s2attr_pfnmap",
	.fops	= &test_s2attr_fops,
	.mode	= 0600,
};

/*
 * Accept hidden=SIZE@BASE only for whole pages of which none is in the
 * kernel's linear map, and claim the range in /proc/iomem.
 */
static void __init test_s2attr_hidden_init(void)
{
	phys_addr_t base = hidden_param_base, size = hidden_param_size;
	phys_addr_t last = base + size - 1;
	unsigned long pfn;

	if (!size) {
		pr_info("no hidden region (test_s2attr_pfnmap.hidden=SIZE@BASE), HIDDEN requests fail with -ENODEV\n");
		return;
	}
	if (!PAGE_ALIGNED(base) || !PAGE_ALIGNED(size)) {
		pr_err("hidden region [%pa-%pa] refused: not page aligned, HIDDEN requests fail with -ENODEV\n",
		       &base, &last);
		return;
	}
	if (last < base) {
		pr_err("hidden region %pa@%pa refused: it wraps around, HIDDEN requests fail with -ENODEV\n",
		       &size, &base);
		return;
	}
	for (pfn = PHYS_PFN(base); pfn <= PHYS_PFN(last); pfn++) {
		cond_resched();
		if (pfn_is_map_memory(pfn)) {
			phys_addr_t pa = PFN_PHYS(pfn);

			pr_err("hidden region [%pa-%pa] refused: %pa is in the kernel's linear map, HIDDEN requests fail with -ENODEV\n",
			       &base, &last, &pa);
			return;
		}
	}
	if (!request_mem_region(base, size, KBUILD_MODNAME)) {
		pr_err("hidden region [%pa-%pa] refused: busy in /proc/iomem, HIDDEN requests fail with -ENODEV\n",
		       &base, &last);
		return;
	}

	hidden_claimed = true;
	hidden_base = base;
	hidden_size = size;
	pr_info("hidden region [%pa-%pa]\n", &base, &last);
}

static int __init test_s2attr_pfnmap_init(void)
{
	int ret;

	test_s2attr_hidden_init();

	ret = misc_register(&test_s2attr_miscdev);
	if (ret) {
		pr_err("cannot register /dev/%s: %d\n",
		       test_s2attr_miscdev.name, ret);
		if (hidden_claimed)
			release_mem_region(hidden_base, hidden_size);
	}
	return ret;
}

static void __exit test_s2attr_pfnmap_exit(void)
{
	misc_deregister(&test_s2attr_miscdev);
	if (hidden_claimed)
		release_mem_region(hidden_base, hidden_size);
}

module_init(test_s2attr_pfnmap_init);
module_exit(test_s2attr_pfnmap_exit);
MODULE_DESCRIPTION("PFNMAP and MIXEDMAP memory for KVM/arm64 stage-2 attribute tests");
MODULE_LICENSE("GPL");
