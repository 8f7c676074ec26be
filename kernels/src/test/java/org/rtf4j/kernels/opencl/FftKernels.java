package org.rtf4j.kernels.opencl;

import java.util.Set;

/**
 * Names of device FFT kernels as the profiler records them, taken from {@link ClKernel} so that a rename
 * is one fix here; for the tests of other modules that count launches by path.
 */
public final class FftKernels {
    /** The kernels only the Bluestein path launches (chirp in, chirp-spectrum product, chirp out). */
    public static final Set<String> BLUESTEIN = Set.of(ClKernel.BLUESTEIN_PRE.functionName(),
        ClKernel.MUL_TABLE.functionName(), ClKernel.BLUESTEIN_POST.functionName());

    private FftKernels() {
    }
}
