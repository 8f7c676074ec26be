package org.rtf4j.kernels.opencl;

/**
 * The limits of an OpenCL device that launch planning depends on, as the device reports them (or as a
 * {@link DeviceProfile} caps them to emulate a smaller device).
 *
 * @param maxWorkGroup      largest work-group (CL_DEVICE_MAX_WORK_GROUP_SIZE)
 * @param maxWorkItemSizeX  largest work-group extent in dimension 0 (CL_DEVICE_MAX_WORK_ITEM_SIZES[0]); the
 *                          planner puts every work-group in dimension 0 (dimensions 1 and 2 get extent 1)
 * @param localMemBytes     local memory per work-group (CL_DEVICE_LOCAL_MEM_SIZE)
 * @param localMemDedicated whether local memory is dedicated on-chip memory (CL_LOCAL) rather than
 *                          emulated in global memory (CL_GLOBAL, as on CPU devices)
 * @param maxAllocBytes     largest single buffer (CL_DEVICE_MAX_MEM_ALLOC_SIZE)
 * @param fp64              cl_khr_fp64 support: float64 kernels are built only where this holds
 * @param singleFpConfig    CL_DEVICE_SINGLE_FP_CONFIG bits (denormals, inf/NaN, rounding, fma)
 */
public record DeviceLimits(long maxWorkGroup, long maxWorkItemSizeX, long localMemBytes, boolean localMemDedicated,
                           long maxAllocBytes, boolean fp64, long singleFpConfig) {

    /** CL_FP_INF_NAN: the device represents infinities and NaNs in float32. */
    public static final long FP_INF_NAN = 1L << 1;
    /** CL_FP_FMA: the device has a fused multiply-add in float32 hardware. */
    public static final long FP_FMA = 1L << 5;

    /** Validates the limits: every size positive. */
    public DeviceLimits {
        if (maxWorkGroup < 1 || maxWorkItemSizeX < 1 || localMemBytes < 0 || maxAllocBytes < 1) {
            throw new IllegalArgumentException("device limits must be positive, got max work-group " + maxWorkGroup
                + ", max work-items " + maxWorkItemSizeX + ", local memory " + localMemBytes + " bytes, max allocation "
                + maxAllocBytes + " bytes");
        }
    }

    /** The largest work-group a kernel may use in dimension 0 on this device. */
    public long groupCap() {
        return Math.min(maxWorkGroup, maxWorkItemSizeX);
    }
}
