package org.rtf4j.kernels.spectral;

import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.MemoryCheck;
import org.rtf4j.kernels.backend.MemoryLimitException;

/**
 * Shape of one batched FFT convolution over (B, H, ℓ) signals with (H, ℓ) kernels, causal or two-sided,
 * and its FFT length n. Any {@code n >= 2ℓ − 1} reproduces the time-domain definitions exactly (no
 * circular wrap); which n is fast depends on the backend, so a layer takes the backend's
 * ({@link #of(int, int, int, boolean, Backend)}, {@link Backend#convolutionFftLength}): the smallest even
 * 7-smooth n ≥ 2ℓ on the JVM, the smallest power of two ≥ 2ℓ on OpenCL, neither of them Bluestein there
 * ({@link Backend#fftAlgorithm}). The canonical constructor takes any valid n (tests use odd and Bluestein
 * lengths).
 *
 * <p><b>Sizes.</b> The constructor computes the element count of every buffer the shape describes in long
 * and refuses, in one line naming the sizes, a shape whose signal (B·H·ℓ) or input spectra
 * (2·(n/2 + 1)·H·B) would not fit a Java array ({@link MemoryCheck#MAX_ARRAY}). So every accessor below
 * fits an int, and so does every product of its factors that a kernel forms (B·H rows, H·n, 2·(n/2+1)·H).
 */
public record ConvShape(int batch, int channels, int length, boolean bidirectional, int fftLength) {

    /** Longest supported input length: its FFT length (≥ 2ℓ, rounded up per backend) stays an int. */
    public static final int MAX_LENGTH = 1 << 29;

    /**
     * Validates the shape: every size ≥ 1, n ≥ 2ℓ − 1, and the buffers within an array's length.
     *
     * @throws IllegalArgumentException naming the first invalid size
     * @throws MemoryLimitException     when the signal or the input spectra would exceed {@link MemoryCheck#MAX_ARRAY}
     */
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

    /**
     * The shape at {@code backend}'s FFT length for ℓ ({@link Backend#convolutionFftLength}), so that its
     * transforms take the backend's fast path.
     *
     * @throws IllegalArgumentException when ℓ is outside [1, {@link #MAX_LENGTH}] or a size is &lt; 1
     * @throws MemoryLimitException     when the buffers would exceed an array (see the constructor)
     */
    public static ConvShape of(int batch, int channels, int length, boolean bidirectional, Backend backend) {
        if (backend == null) {
            throw new IllegalArgumentException("backend must not be null");
        }
        if (length < 1 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("input length ℓ must be in [1, " + MAX_LENGTH + "], got " + length);
        }
        long n = backend.convolutionFftLength(length);
        if (n < 2L * length || n > Integer.MAX_VALUE) {
            throw new IllegalStateException("backend " + backend.name() + " gave convolution FFT length " + n
                + " for ℓ = " + length + ", expected an int ≥ 2ℓ = " + 2L * length);
        }
        return new ConvShape(batch, channels, length, bidirectional, (int) n);
    }

    /** Bins of the real spectrum, n/2 + 1. */
    public int bins() {
        return fftLength / 2 + 1;
    }

    /** Elements of one (B, H, ℓ) signal, B·H·ℓ (fits an int: the constructor checks it). */
    public int signalLength() {
        return batch * channels * length;
    }

    /** Elements of one (H, ℓ) kernel, H·ℓ (at most {@link #signalLength()}). */
    public int kernelLength() {
        return channels * length;
    }

    /**
     * Elements of the input spectra buffer (B, H, n/2+1) complex, 2·(n/2+1)·H·B, which the forward keeps for
     * the backward (fits an int: the constructor checks it).
     */
    public int signalSpectrumLength() {
        return 2 * bins() * channels * batch;
    }

    /** Elements of the kernel spectra buffer (H, n/2+1) complex (at most {@link #signalSpectrumLength()}). */
    public int kernelSpectrumLength() {
        return 2 * bins() * channels;
    }
}
