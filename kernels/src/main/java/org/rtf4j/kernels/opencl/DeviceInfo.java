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
 * @param maxAllocBytes   largest single buffer
 * @param localMemBytes   local memory per work-group
 * @param maxWorkGroup    largest work-group
 * @param fp64            cl_khr_fp64 support (float64 kernels)
 */
public record DeviceInfo(int platformIndex, String platformName, int deviceIndex, String name, String vendor,
                         String version, String type, int computeUnits, long globalMemBytes, long maxAllocBytes,
                         long localMemBytes, long maxWorkGroup, boolean fp64) {

    /** One line for logs and listings. */
    public String describe() {
        return String.format("[%d:%d] %s (%s, %s, %s) %d CU, %.2f GiB global, %d KiB local, max work-group %d, fp64 %s",
            platformIndex, deviceIndex, name, type, platformName, version, computeUnits, globalMemBytes / (double) (1L << 30),
            localMemBytes >> 10, maxWorkGroup, fp64 ? "yes" : "no");
    }
}
