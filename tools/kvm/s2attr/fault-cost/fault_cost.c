// SPDX-License-Identifier: GPL-2.0-only
/*
 * fault_cost - host instructions per stage-2 fault, counted by the PMU.
 *
 * A KVM test program in the manner of the KVM selftests, linked with their
 * library: for each kind of memory, a guest touches NPAGES fresh pages one
 * at a time and reports after each access (GUEST_SYNC, an MMIO exit to user
 * space), then touches the same page again, now mapped, and reports again.
 * Around each KVM_RUN the host reads one perf counter, PERF_COUNT_HW_
 * INSTRUCTIONS with exclude_user and exclude_guest: on a VHE host that is
 * PMEVTYPER.NSH set and U and P clear, instructions retired at EL2 only,
 * which is the host kernel (KVM, mm, interrupts) and not the guest. A
 * fault's cost is the median over the pages of the first run minus the
 * median of the second: the exit to user space, the counter reads and
 * everything else the two runs share cancel.
 *
 * Kinds:
 *   anon-read       anonymous memory, populated by the host: read fault
 *   anon-write      the same, write fault
 *   anon-exec       the same holding RET instructions, called: exec fault
 *   dirty-read      a memslot with dirty logging: read fault, mapped read-only
 *   dirty-write     then a write to it: the permission fault
 *   devmem          /dev/mem over RAM the kernel does not map (mem=): Device
 *   pfnmap-nc       the series' test device (lib/test_s2attr_pfnmap.c), if
 *                   the kernel has it: VM_PFNMAP of hidden RAM, stage 1
 *                   Normal-NC, VM_ALLOW_ANY_UNCACHED: Normal-NC at stage 2
 *   pfnmap-wb       the same, stage 1 cacheable: Normal under a policy that
 *                   maps it, refused under the others (a line "refused")
 *
 * Under every stage-2 memory attribute policy the kernel offers
 * (KVM_CAP_ARM_S2ATTR_POLICY) and its default; on a kernel without the
 * capability, the default only. Prints one line per policy and kind:
 *   fault-cost: policy=P kind=K pages=N fault=F base=B cost=C p10=L p90=H
 * with the medians F and B, C = F - B, and the 10th and 90th percentiles of
 * the per-page differences. Exits non-zero if the counter cannot be opened
 * (no PMU, or QEMU without -icount shift=N: INST_RETIRED not implemented).
 *
 * Usage: fault_cost [DEVMEM_PHYS]   (default 0x70000000, as mem=768M of 1G;
 * the test device's region is its own, test_s2attr_pfnmap.hidden=)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/perf_event.h>

#include <lib/test_s2attr_pfnmap_uapi.h>

#include "kvm_util.h"
#include "processor.h"
#include "test_util.h"
#include "ucall_common.h"

#define NPAGES		64
#define TEST_GPA	0xc0000000UL
#define TEST_SLOT	1
#define AARCH64_RET	0xd65f03c0U

enum kind {
	ANON_READ, ANON_WRITE, ANON_EXEC, DIRTY_READ, DIRTY_WRITE, DEVMEM, PFNMAP_NC, PFNMAP_WB,
	NR_KINDS
};
static const char *const kind_names[] = {
	"anon-read", "anon-write", "anon-exec", "dirty-read", "dirty-write", "devmem",
	"pfnmap-nc", "pfnmap-wb",
};

enum access { ACC_READ, ACC_WRITE, ACC_EXEC };

/*
 * The guest, for each page: the first access, a report; the second, a
 * report; the second again, a report.
 */
static uint64_t guest_gva, guest_pages, guest_size;
static int guest_access[2];	/* the first access of a page, then the second */

static void guest_touch(uint64_t gva, int access)
{
	switch (access) {
	case ACC_READ:
		READ_ONCE(*(uint64_t *)gva);
		break;
	case ACC_WRITE:
		WRITE_ONCE(*(uint64_t *)gva, gva);
		break;
	case ACC_EXEC:
		((void (*)(void))gva)();
		break;
	}
}

static void guest_code(void)
{
	uint64_t i, gva;

	for (i = 0; i < READ_ONCE(guest_pages); i++) {
		gva = READ_ONCE(guest_gva) + i * READ_ONCE(guest_size);
		guest_touch(gva, READ_ONCE(guest_access[0]));
		GUEST_SYNC(0);
		guest_touch(gva, READ_ONCE(guest_access[1]));
		GUEST_SYNC(1);
		guest_touch(gva, READ_ONCE(guest_access[1]));
		GUEST_SYNC(2);
	}
	GUEST_DONE();
}

static int counter = -1;

static uint64_t read_counter(void)
{
	uint64_t v;

	TEST_ASSERT(read(counter, &v, sizeof(v)) == sizeof(v), "read(perf counter): %s",
		    strerror(errno));
	return v;
}

/* Host instructions of one KVM_RUN that must end in GUEST_SYNC(want). */
static uint64_t counted_run(struct kvm_vcpu *vcpu, uint64_t want)
{
	struct ucall uc;
	uint64_t before, after;
	int ret;

	before = read_counter();
	ret = __vcpu_run(vcpu);
	after = read_counter();
	TEST_ASSERT(!ret, "KVM_RUN: %s", strerror(errno));
	switch (get_ucall(vcpu, &uc)) {
	case UCALL_SYNC:
		TEST_ASSERT(uc.args[1] == want, "GUEST_SYNC(%lu), expected %lu", uc.args[1], want);
		break;
	case UCALL_ABORT:
		REPORT_GUEST_ASSERT(uc);
		break;
	default:
		TEST_FAIL("unexpected exit %s", exit_reason_str(vcpu->run->exit_reason));
	}
	return after - before;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int cmp_s64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t devmem_phys = 0x70000000UL;

/* The host memory of KIND, mapped for the memslot. */
static void *host_memory(enum kind kind, size_t size)
{
	void *hva;
	size_t i;
	int fd;

	if (kind == PFNMAP_NC || kind == PFNMAP_WB) {
		struct test_s2attr_pfnmap_req req = {
			.backing = TEST_S2ATTR_BACKING_HIDDEN,
			.vma = TEST_S2ATTR_VMA_PFNMAP,
			.memtype = kind == PFNMAP_NC ? TEST_S2ATTR_MT_NORMAL_NC : TEST_S2ATTR_MT_NORMAL,
			.flags = kind == PFNMAP_NC ? TEST_S2ATTR_ALLOW_ANY_UC : 0,
		};

		fd = open("/dev/test_s2attr_pfnmap", O_RDWR);
		TEST_ASSERT(fd >= 0, "/dev/test_s2attr_pfnmap: %s", strerror(errno));
		TEST_ASSERT(!ioctl(fd, TEST_S2ATTR_PFNMAP_SET, &req), "TEST_S2ATTR_PFNMAP_SET: %s",
			    strerror(errno));
		hva = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		TEST_ASSERT(hva != MAP_FAILED, "mmap(/dev/test_s2attr_pfnmap): %s",
			    strerror(errno));
		close(fd);
		return hva;
	}
	if (kind == DEVMEM) {
		fd = open("/dev/mem", O_RDWR | O_SYNC);
		TEST_ASSERT(fd >= 0, "/dev/mem: %s", strerror(errno));
		hva = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, devmem_phys);
		TEST_ASSERT(hva != MAP_FAILED, "mmap(/dev/mem, %#lx): %s", devmem_phys,
			    strerror(errno));
		close(fd);
		return hva;
	}
	hva = mmap(NULL, size, PROT_READ | PROT_WRITE | PROT_EXEC,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	TEST_ASSERT(hva != MAP_FAILED, "mmap(anonymous): %s", strerror(errno));
	/* Every page present and private, so that no fault is an mm fault. */
	for (i = 0; i < size; i += getpagesize())
		*(uint32_t *)((char *)hva + i) = AARCH64_RET;
	__builtin___clear_cache(hva, (char *)hva + size);
	return hva;
}

/*
 * A VM under POLICY (or the default, -1) with one vCPU: the capability
 * must come before the first memslot, so this is what __vm_create() does
 * after KVM_CREATE_VM, with KVM_ENABLE_CAP first (as s2attr_e2e's
 * create_vm()).
 */
static struct kvm_vm *create_vm(int policy, struct kvm_vcpu **vcpu)
{
	struct kvm_vm *vm = vm_create_barebones();
	struct userspace_mem_region *slot0;
	int i;

	if (policy >= 0)
		vm_enable_cap(vm, KVM_CAP_ARM_S2ATTR_POLICY, policy);
	vm_userspace_mem_region_add(vm, VM_MEM_SRC_ANONYMOUS, 0, 0, 2048, 0);
	for (i = 0; i < NR_MEM_REGIONS; i++)
		vm->memslots[i] = 0;
	kvm_vm_elf_load(vm, program_invocation_name);
	slot0 = memslot2region(vm, 0);
	ucall_init(vm, slot0->region.guest_phys_addr + slot0->region.memory_size);
	kvm_arch_vm_post_create(vm);
	*vcpu = vm_vcpu_add(vm, 0, guest_code);
	return vm;
}

static void measure(const char *policy_name, int policy, enum kind kind)
{
	static const int accesses[NR_KINDS][2] = {
		[ANON_READ]	= { ACC_READ, ACC_READ },
		[ANON_WRITE]	= { ACC_WRITE, ACC_WRITE },
		[ANON_EXEC]	= { ACC_EXEC, ACC_EXEC },
		[DIRTY_READ]	= { ACC_READ, ACC_READ },
		[DIRTY_WRITE]	= { ACC_READ, ACC_WRITE },
		[DEVMEM]	= { ACC_READ, ACC_READ },
		[PFNMAP_NC]	= { ACC_READ, ACC_READ },
		[PFNMAP_WB]	= { ACC_READ, ACC_READ },
	};
	uint64_t first[NPAGES], second[NPAGES], first0 = 0;
	int64_t diff[NPAGES];
	size_t page = getpagesize(), size = NPAGES * page;
	uint32_t flags = kind == DIRTY_READ || kind == DIRTY_WRITE ? KVM_MEM_LOG_DIRTY_PAGES : 0;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	uint64_t f, b;
	struct ucall uc;
	void *hva;
	int i;

	vm = create_vm(policy, &vcpu);
	hva = host_memory(kind, size);
	vm_set_user_memory_region(vm, TEST_SLOT, flags, TEST_GPA, size, hva);
	virt_map(vm, TEST_GPA, TEST_GPA, NPAGES * (page / vm->page_size));

	guest_gva = TEST_GPA;
	guest_pages = NPAGES;
	guest_size = page;
	sync_global_to_guest(vm, guest_gva);
	sync_global_to_guest(vm, guest_pages);
	sync_global_to_guest(vm, guest_size);
	guest_access[0] = accesses[kind][0];
	guest_access[1] = accesses[kind][1];
	sync_global_to_guest(vm, guest_access);

	/*
	 * Each page takes three runs. The fault is the first, or for
	 * dirty-write the second: the read before it is the translation
	 * fault that maps the page read-only. The third repeats the second
	 * access on the mapped page: the baseline.
	 */
	/*
	 * A policy that refuses the memory fails the first KVM_RUN with
	 * EFAULT (KVM_EXIT_MEMORY_FAULT): say so, there is nothing to count.
	 */
	if (kind == PFNMAP_WB) {
		uint64_t before = read_counter(), after;
		int ret = __vcpu_run(vcpu), err = errno;

		after = read_counter();
		if (ret && err == EFAULT && vcpu->run->exit_reason == KVM_EXIT_MEMORY_FAULT) {
			printf("fault-cost: policy=%s kind=%s refused\n", policy_name,
			       kind_names[kind]);
			kvm_vm_free(vm);
			munmap(hva, size);
			return;
		}
		TEST_ASSERT(!ret && get_ucall(vcpu, &uc) == UCALL_SYNC && uc.args[1] == 0,
			    "%s: the first run neither reported nor was refused: %s",
			    kind_names[kind], strerror(err));
		first0 = after - before;
	}
	for (i = 0; i < NPAGES; i++) {
		uint64_t r0 = i == 0 && first0 ? first0 : counted_run(vcpu, 0);
		uint64_t r1 = counted_run(vcpu, 1);

		first[i] = kind == DIRTY_WRITE ? r1 : r0;
		second[i] = counted_run(vcpu, 2);
	}
	TEST_ASSERT(!__vcpu_run(vcpu) && get_ucall(vcpu, &uc) == UCALL_DONE,
		    "the guest did not finish");
	kvm_vm_free(vm);
	munmap(hva, size);

	for (i = 0; i < NPAGES; i++)
		diff[i] = (int64_t)(first[i] - second[i]);
	qsort(first, NPAGES, sizeof(first[0]), cmp_u64);
	qsort(second, NPAGES, sizeof(second[0]), cmp_u64);
	qsort(diff, NPAGES, sizeof(diff[0]), cmp_s64);
	f = first[NPAGES / 2];
	b = second[NPAGES / 2];
	printf("fault-cost: policy=%s kind=%s pages=%d fault=%lu base=%lu",
	       policy_name, kind_names[kind], NPAGES, f, b);
	printf(" cost=%ld p10=%ld p90=%ld\n", (long)(f - b),
	       (long)diff[NPAGES / 10], (long)diff[NPAGES - 1 - NPAGES / 10]);
}

static const struct {
	const char *name;
	int value;
} policies[] = {
	{ "cacheable-pfnmap",	KVM_ARM_S2ATTR_POLICY_CACHEABLE_PFNMAP },
	{ "strict",		KVM_ARM_S2ATTR_POLICY_STRICT },
	{ "fwb-only",		KVM_ARM_S2ATTR_POLICY_FWB_ONLY },
};

int main(int argc, char *argv[])
{
	struct perf_event_attr attr = {
		.type		= PERF_TYPE_HARDWARE,
		.size		= sizeof(attr),
		.config		= PERF_COUNT_HW_INSTRUCTIONS,
		.exclude_user	= 1,
		.exclude_guest	= 1,
	};
	unsigned int offered, i;
	bool device;
	int k;

	if (argc > 1)
		devmem_phys = strtoul(argv[1], NULL, 0);
	counter = syscall(__NR_perf_event_open, &attr, 0, -1, -1, 0);
	TEST_ASSERT(counter >= 0,
		    "perf_event_open(PERF_COUNT_HW_INSTRUCTIONS): %s (no PMU, or no -icount shift=N)",
		    strerror(errno));

	offered = kvm_check_cap(KVM_CAP_ARM_S2ATTR_POLICY);
	printf("fault-cost: KVM_CAP_ARM_S2ATTR_POLICY=%#x\n", offered);
	device = !access("/dev/test_s2attr_pfnmap", F_OK);
	printf("fault-cost: /dev/test_s2attr_pfnmap %s\n", device ? "present" : "absent");
	for (k = 0; k < NR_KINDS; k++) {
		if (device || (k != PFNMAP_NC && k != PFNMAP_WB))
			measure("default", -1, k);
	}
	for (i = 0; i < ARRAY_SIZE(policies); i++) {
		if (!(offered & (1U << policies[i].value)))
			continue;
		for (k = 0; k < NR_KINDS; k++) {
			if (device || (k != PFNMAP_NC && k != PFNMAP_WB))
				measure(policies[i].name, policies[i].value, k);
		}
	}
	printf("fault-cost: done\n");
	return 0;
}
