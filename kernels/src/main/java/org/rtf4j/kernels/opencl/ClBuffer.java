package org.rtf4j.kernels.opencl;

import org.jocl.cl_mem;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.Precision;

/**
 * A device buffer of one {@link ClRuntime}: a caller's buffer ({@link #counted}, allocated through
 * {@link OpenClBackend#allocate}) or one of the backend's own (scratch, FFT tables). {@link #close()} frees
 * it through its runtime, under the runtime's lock; closing twice, or after the backend closed, does
 * nothing.
 */
final class ClBuffer implements DeviceBuffer {
    final ClRuntime runtime;
    final Precision precision;
    final int length;
    final boolean counted;
    /** Where a caller's buffer was allocated (class.method:line of the first caller outside the backend). */
    final String origin;
    /** The device memory; null once freed. Read and written under the runtime's lock. */
    cl_mem mem;

    ClBuffer(ClRuntime runtime, Precision precision, int length, boolean counted, String origin, cl_mem mem) {
        this.runtime = runtime;
        this.precision = precision;
        this.length = length;
        this.counted = counted;
        this.origin = origin;
        this.mem = mem;
    }

    /** Bytes on the device (at least one element, as OpenCL refuses empty buffers). */
    long bytes() {
        return bytes(precision, length);
    }

    static long bytes(Precision p, long length) {
        return Math.max(1L, length) * p.bytes();
    }

    @Override
    public Precision precision() {
        return precision;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public void close() {
        runtime.release(this);
    }

    @Override
    public String toString() {
        return "ClBuffer[" + precision + " x " + length + "]";
    }
}
