package org.rtf4j.kernels.opencl;

import java.util.Arrays;

/**
 * Launch planning in plain Java: the global and local sizes of a kernel launch from the device's limits
 * and the kernel's own (no OpenCL call here, so a test can plan every launch for devices we do not have).
 *
 * <p><b>Free launches</b> (the kernel does not care about its work-group): the work-group lies along
 * dimension 0, of {@link #TARGET_GROUP} work items or fewer — capped by the device's and the kernel's
 * work-group size and the device's dimension-0 extent, a multiple of the kernel's preferred multiple, and
 * no larger than dimension 0 rounded up to that multiple — and the global size of dimension 0 is rounded up
 * to a multiple of it. Every kernel therefore guards its dimension 0 ({@code if (i >= extent) return;}).
 * Other dimensions have work-group extent 1 and their exact size.
 *
 * <p><b>Fixed launches</b> (local-memory kernels that choose their work-group) are checked: the work-group
 * within every cap, the global size a multiple of it, the local memory (the kernel's static plus the launch's
 * dynamic bytes) within the device's. A violation is a bug of the caller and throws.
 */
final class LaunchPlanner {
    /** Work-group size a free launch aims at: enough to hide latency on GPUs, small enough for every cap. */
    static final long TARGET_GROUP = 256;

    private LaunchPlanner() {
    }

    /**
     * A kernel's own limits (clGetKernelWorkGroupInfo).
     *
     * @param workGroup         CL_KERNEL_WORK_GROUP_SIZE: the largest work-group this kernel can run with
     * @param preferredMultiple CL_KERNEL_PREFERRED_WORK_GROUP_SIZE_MULTIPLE (the SIMD or warp width)
     * @param staticLocalBytes  CL_KERNEL_LOCAL_MEM_SIZE: local memory the kernel declares itself
     */
    record KernelLimits(long workGroup, long preferredMultiple, long staticLocalBytes) {
        KernelLimits {
            if (workGroup < 1 || preferredMultiple < 1 || staticLocalBytes < 0) {
                throw new IllegalArgumentException("kernel limits must be positive, got work-group " + workGroup
                    + ", preferred multiple " + preferredMultiple + ", static local " + staticLocalBytes);
            }
        }
    }

    /** A planned launch: global and local sizes (same dimensions) and the local memory it uses. */
    record Plan(long[] global, long[] local, long localBytes) {
        /** Work-items launched in all. */
        long items() {
            long n = 1;
            for (long g : global) {
                n *= g;
            }
            return n;
        }

        @Override
        public String toString() {
            return "global " + Arrays.toString(global) + " local " + Arrays.toString(local) + " local bytes " + localBytes;
        }
    }

    /** The largest work-group a launch of this kernel may use on this device. */
    static long groupCap(DeviceLimits d, KernelLimits k) {
        return Math.min(d.groupCap(), k.workGroup());
    }

    /** Plans a free launch over {@code extents} work items (dimension 0 first). */
    static Plan free(String kernel, DeviceLimits d, KernelLimits k, long[] extents, long dynamicLocalBytes) {
        requireExtents(kernel, extents);
        long cap = Math.min(TARGET_GROUP, groupCap(d, k));
        long m = k.preferredMultiple();
        if (cap >= m) {
            cap -= cap % m;
        }
        long want = m <= cap ? roundUp(extents[0], m) : extents[0];
        long l0 = Math.max(1, Math.min(cap, want));
        long[] global = extents.clone();
        long[] local = new long[extents.length];
        Arrays.fill(local, 1);
        local[0] = l0;
        global[0] = roundUp(extents[0], l0);
        return check(kernel, d, k, new Plan(global, local, k.staticLocalBytes() + dynamicLocalBytes));
    }

    /** Checks a launch whose caller chose the work-group ({@code local}) and global size. */
    static Plan fixed(String kernel, DeviceLimits d, KernelLimits k, long[] global, long[] local, long dynamicLocalBytes) {
        requireExtents(kernel, global);
        if (local.length != global.length) {
            throw new IllegalStateException("kernel " + kernel + ": local size " + Arrays.toString(local)
                + " has other dimensions than global " + Arrays.toString(global));
        }
        return check(kernel, d, k, new Plan(global.clone(), local.clone(), k.staticLocalBytes() + dynamicLocalBytes));
    }

    private static Plan check(String kernel, DeviceLimits d, KernelLimits k, Plan p) {
        long group = 1;
        for (int i = 0; i < p.global.length; i++) {
            if (p.local[i] < 1 || p.global[i] % p.local[i] != 0) {
                throw new IllegalStateException("kernel " + kernel + ": global size " + Arrays.toString(p.global)
                    + " is not a multiple of the work-group " + Arrays.toString(p.local));
            }
            group *= p.local[i];
        }
        if (group > groupCap(d, k) || p.local[0] > d.maxWorkItemSizeX()) {
            throw new IllegalStateException("kernel " + kernel + ": work-group " + Arrays.toString(p.local) + " exceeds the cap "
                + groupCap(d, k) + " (device " + d.maxWorkGroup() + ", dimension 0 " + d.maxWorkItemSizeX() + ", kernel "
                + k.workGroup() + ")");
        }
        if (p.localBytes > d.localMemBytes()) {
            throw new IllegalStateException("kernel " + kernel + ": needs " + p.localBytes + " bytes of local memory, the device has "
                + d.localMemBytes());
        }
        return p;
    }

    private static void requireExtents(String kernel, long[] extents) {
        if (extents.length < 1 || extents.length > 3) {
            throw new IllegalStateException("kernel " + kernel + ": 1 to 3 dimensions, got " + Arrays.toString(extents));
        }
        for (long e : extents) {
            if (e < 1) {
                throw new IllegalStateException("kernel " + kernel + ": every extent must be ≥ 1, got " + Arrays.toString(extents));
            }
        }
    }

    static long roundUp(long x, long m) {
        return (x + m - 1) / m * m;
    }
}
