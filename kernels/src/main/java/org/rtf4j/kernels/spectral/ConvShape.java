package org.rtf4j.kernels.spectral;

import org.rtf4j.kernels.backend.MemoryCheck;
import org.rtf4j.kernels.fft.ComplexFftPlan;

/**
 * Shape of one batched FFT convolution over (B, H, ℓ) signals with (H, ℓ) kernels, causal or two-sided,
 * and its FFT length n. Any {@code n >= 2ℓ − 1} reproduces the time-domain definitions exactly (no
 * circular wrap); the default is the smallest even 7-smooth {@code n >= 2ℓ}.
 *
 * <p>The default is the JVM backend's fast length: its real transform of n runs a complex one of n/2,
 * which is 7-smooth and so never Bluestein there (the reference's odd size {@code 2ℓ − 1} is a Bluestein
 * length for ℓ = 1047, say). On OpenCL the same n runs Bluestein unless n is a power of two; see
 * {@link org.rtf4j.kernels.backend.Backend#fftAlgorithm}, which says per backend which path a length takes.
 */
public record ConvShape(int batch, int channels, int length, boolean bidirectional, int fftLength) {

    /** Longest supported input length: its FFT length 2ℓ (rounded up to a smooth number) stays an int. */
    public static final int MAX_LENGTH = 1 << 29;

    /** Validates the shape. */
    public ConvShape {
        if (batch < 1) {
            throw new IllegalArgumentException("batch B must be ≥ 1, got " + batch);
        }
        if (channels < 1) {
            throw new IllegalArgumentException("channels H must be ≥ 1, got " + channels);
        }
        if (length < 1) {
            throw new IllegalArgumentException("input length ℓ must be ≥ 1, got " + length);
        }
        if (fftLength < 2L * length - 1) {
            throw new IllegalArgumentException("convolution FFT length n must be ≥ 2ℓ−1 = " + (2L * length - 1)
                + ", got " + fftLength);
        }
        String sizes = "batch " + batch + " × channels " + channels + " × length " + length;
        MemoryCheck.arrayLength("a (B, H, ℓ) signal of " + sizes, MemoryCheck.times(batch, channels, length));
        MemoryCheck.arrayLength("the input spectra of " + sizes + " (FFT length " + fftLength + ")",
            MemoryCheck.times(2, fftLength / 2 + 1, channels, batch));
    }

    /** Shape with the default FFT length (smallest even 7-smooth n ≥ 2ℓ; see the class comment for its backends). */
    public static ConvShape of(int batch, int channels, int length, boolean bidirectional) {
        if (length < 1 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("input length ℓ must be in [1, " + MAX_LENGTH + "], got " + length);
        }
        return new ConvShape(batch, channels, length, bidirectional, (int) fftLength(length));
    }

    /**
     * The default FFT length for input length ℓ ≥ 1 (smallest even 7-smooth n ≥ 2ℓ), in long arithmetic so
     * that size estimates can ask for any length; above {@link #MAX_LENGTH} it is 2ℓ (a lower bound, and such
     * a shape is refused anyway).
     */
    public static long fftLength(long length) {
        if (length < 1) {
            throw new IllegalArgumentException("input length ℓ must be ≥ 1, got " + length);
        }
        return length <= MAX_LENGTH ? ComplexFftPlan.nextSmooth((int) (2 * length), 2) : 2 * length;
    }

    /** Bins of the real spectrum, n/2 + 1. */
    public int bins() {
        return fftLength / 2 + 1;
    }

    /** Elements of one (B, H, ℓ) signal. */
    public int signalLength() {
        return batch * channels * length;
    }

    /** Elements of one (H, ℓ) kernel. */
    public int kernelLength() {
        return channels * length;
    }

    /** Elements of the input spectra buffer (B, H, n/2+1) complex, which the forward keeps for the backward. */
    public int signalSpectrumLength() {
        return 2 * bins() * channels * batch;
    }

    /** Elements of the kernel spectra buffer (H, n/2+1) complex. */
    public int kernelSpectrumLength() {
        return 2 * bins() * channels;
    }
}
