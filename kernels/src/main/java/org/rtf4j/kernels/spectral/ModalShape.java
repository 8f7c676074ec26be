package org.rtf4j.kernels.spectral;

import org.rtf4j.kernels.backend.MemoryCheck;

/**
 * Shape of a modal (diagonal or low-rank-corrected) SSM kernel generation: H channels, M stored complex
 * modes (state size N = 2M; the conjugate half is implicit) and kernel length L.
 */
public record ModalShape(int channels, int modes, int length) {

    /**
     * Lags per block of the Vandermonde kernels, the same on every backend: {@code z^l} is re-anchored
     * at the first lag of each block (on the JVM in float64; on OpenCL in the kernel's precision, with the
     * products l·log z split exactly by {@code fma} and the phase reduced modulo 2π) and advanced by one complex multiplication per lag inside it, so the work
     * of the transcendentals is 1/{@value} per term and the float32 error of the powers does not grow
     * with L. The OpenCL forward computes one block per work item ({@code VBLOCK} in {@code modal.cl},
     * passed at build time from here). 64 was measured faster than 32 on both backends (S4D kernel and
     * gradient at H = 128, N = 1024, L = 2048: about 25% on PoCL, a few percent on the JVM).
     */
    public static final int VANDERMONDE_BLOCK = 64;

    /** Validates the shape. */
    public ModalShape {
        if (channels < 1) {
            throw new IllegalArgumentException("channels H must be ≥ 1, got " + channels);
        }
        if (modes < 1) {
            throw new IllegalArgumentException("modes M = N/2 must be ≥ 1, got " + modes);
        }
        if (length < 1) {
            throw new IllegalArgumentException("kernel length L must be ≥ 1, got " + length);
        }
        // the kernels' work arrays hold up to 16 values per (channel, mode or lag)
        MemoryCheck.arrayLength("the modal kernel arrays of channels " + channels + " × max(modes " + modes + ", length "
            + length + ") × 16 values", MemoryCheck.times(16, channels, Math.max(modes, length)));
    }

    /** Bins of the length-L real spectrum, L/2 + 1. */
    public int bins() {
        return length / 2 + 1;
    }

    /** Elements of one (H, M) complex array. */
    public int modalLength() {
        return 2 * channels * modes;
    }

    /** Elements of one (H, L) real array. */
    public int kernelLength() {
        return channels * length;
    }

    /** Elements of the (H, L/2+1) complex spectrum. */
    public int spectrumLength() {
        return 2 * bins() * channels;
    }
}
