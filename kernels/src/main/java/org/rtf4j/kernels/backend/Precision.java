package org.rtf4j.kernels.backend;

/** Floating-point precision of buffers and kernels: float32 is the fast path, float64 validates. */
public enum Precision {
    F32(4),
    F64(8);

    private final int bytes;

    Precision(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }
}
