package org.rtf4j.kernels.opencl;

import java.util.List;

/**
 * Published OpenCL limits of real GPUs we do not have, for planning tests: what {@code clinfo} reports on
 * each (vendor documentation and public clinfo dumps), with the per-kernel work-group size a register-heavy
 * kernel may get there.
 *
 * @param name          the device
 * @param limits        its device limits
 * @param kernelGroup   CL_KERNEL_WORK_GROUP_SIZE assumed for every kernel (at most the device's)
 * @param multiple      CL_KERNEL_PREFERRED_WORK_GROUP_SIZE_MULTIPLE (warp, wavefront or SIMD width)
 * @param staticLocal   CL_KERNEL_LOCAL_MEM_SIZE assumed for every kernel: local memory a compiler may
 *                      reserve for a kernel itself, which the launches' own local memory must leave free
 */
record GpuTable(String name, DeviceLimits limits, long kernelGroup, long multiple, long staticLocal) {
    private static final long FP32 = DeviceLimits.FP_INF_NAN | DeviceLimits.FP_FMA | 1 | 4;

    /** NVIDIA data-centre, AMD Instinct, Intel Arc without fp64, an integrated GPU; each also with a low kernel cap. */
    static final List<GpuTable> DEVICES = List.of(
        // NVIDIA A100-SXM4-40GB, CUDA OpenCL 3.0: 48 KiB local (no opt-in in OpenCL), 1024 work-items, warp 32
        new GpuTable("NVIDIA A100", new DeviceLimits(1024, 1024, 48 << 10, true, 10L << 30, true, FP32), 1024, 32, 0),
        new GpuTable("NVIDIA A100, heavy kernel", new DeviceLimits(1024, 1024, 48 << 10, true, 10L << 30, true, FP32), 384, 32,
            1 << 10),
        // AMD Instinct MI210, ROCm OpenCL 2.0: 64 KiB LDS, work-groups up to 256, wavefront 64
        new GpuTable("AMD Instinct MI210", new DeviceLimits(256, 1024, 64 << 10, true, 54L << 30, true, FP32), 256, 64, 0),
        new GpuTable("AMD Instinct MI210, kernel local", new DeviceLimits(256, 1024, 64 << 10, true, 54L << 30, true, FP32), 256,
            64, 256),
        // Intel Arc A770, oneAPI/NEO OpenCL 3.0: 64 KiB SLM, 1024 work-items, no fp64, 4 GiB allocations, SIMD 16
        new GpuTable("Intel Arc A770", new DeviceLimits(1024, 1024, 64 << 10, true, 4L << 30, false, FP32), 1024, 16, 0),
        // Intel UHD Graphics 620 (Gen9 integrated), NEO: 64 KiB SLM, work-groups up to 256, SIMD 8, shared memory
        new GpuTable("Intel UHD 620", new DeviceLimits(256, 256, 64 << 10, true, (long) (3.2 * (1L << 30)), true, FP32), 256, 8, 0));

    /** The kernel limits assumed on this device. */
    LaunchPlanner.KernelLimits kernel() {
        return new LaunchPlanner.KernelLimits(Math.min(kernelGroup, limits.maxWorkGroup()), multiple, staticLocal);
    }

    @Override
    public String toString() {
        return name;
    }
}
