package org.rtf4j.kernels.opencl;

/**
 * What the backend needs to know of an OpenCL device, and what {@code ./rtf4j devices} prints.
 *
 * @param platformIndex   index of the platform in the ICD loader's order
 * @param platformName    platform name
 * @param deviceIndex     index of the device within its platform
 * @param name            device name
 * @param vendor          device vendor
 * @param version         OpenCL version string
 * @param type            GPU, CPU, ACCELERATOR or OTHER
 * @param computeUnits    compute units
 * @param globalMemBytes  global memory
 * @param limits          what launch planning depends on (work-group and local memory limits, fp64, ...)
 */
public record DeviceInfo(int platformIndex, String platformName, int deviceIndex, String name, String vendor,
                         String version, String type, int computeUnits, long globalMemBytes, DeviceLimits limits) {

    /** Largest single buffer. */
    public long maxAllocBytes() {
        return limits.maxAllocBytes();
    }

    /** Local memory per work-group. */
    public long localMemBytes() {
        return limits.localMemBytes();
    }

    /** Largest work-group. */
    public long maxWorkGroup() {
        return limits.maxWorkGroup();
    }

    /** cl_khr_fp64 support (float64 kernels). */
    public boolean fp64() {
        return limits.fp64();
    }

    /** The same device with other limits (an emulation profile's). */
    public DeviceInfo withLimits(DeviceLimits l) {
        return new DeviceInfo(platformIndex, platformName, deviceIndex, name, vendor, version, type, computeUnits,
            globalMemBytes, l);
    }

    /** One line for logs and listings. */
    public String describe() {
        return String.format("[%d:%d] %s (%s, %s, %s) %d CU, %.2f GiB global, %d KiB %s local, max work-group %d, fp64 %s",
            platformIndex, deviceIndex, name, type, platformName, version, computeUnits, globalMemBytes / (double) (1L << 30),
            localMemBytes() >> 10, limits.localMemDedicated() ? "dedicated" : "emulated", maxWorkGroup(), fp64() ? "yes" : "no");
    }
}
