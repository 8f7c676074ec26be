package org.rtf4j.kernels.opencl;

import org.rtf4j.kernels.backend.Precision;

/**
 * What {@link ClFft} and {@link ClComposites} ask of the device: the limits to plan for, launches, scratch
 * and table buffers, device copies. {@link ClRuntime} enqueues them on its device; a test implementation
 * records the planned launches and buffer sizes for devices we do not have, without any OpenCL call.
 */
interface ClQueue {
    /** The device, with the limits launches are planned for. */
    DeviceInfo info();

    /** Kernel k's own limits on this device. */
    LaunchPlanner.KernelLimits limits(Precision p, ClKernel k);

    /** See {@link ClRuntime#launch}. */
    void launch(ClKernel k, Precision p, long[] extents, long[] local, Object... args);

    /** A grow-only scratch buffer of at least {@code elements} for one role. */
    ClBuffer scratch(Precision p, String role, long elements);

    /** A one-element buffer for optional buffer arguments that a kernel does not read. */
    ClBuffer dummy(Precision p);

    /** A new device table holding {@code values} (rounded to p). */
    ClBuffer table(Precision p, double[] values);

    /** Copies the first {@code elements} of src into dst on the device. */
    void copy(ClBuffer src, ClBuffer dst, long elements);
}
