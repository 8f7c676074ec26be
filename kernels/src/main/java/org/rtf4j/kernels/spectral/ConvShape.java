package org.rtf4j.kernels.spectral;

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

    /** Validates the shape. */
    public ConvShape {
        if (batch < 1) {
            throw new IllegalArgumentException("batch B=" + batch + " must be >= 1");
        }
        if (channels < 1) {
            throw new IllegalArgumentException("channels H=" + channels + " must be >= 1");
        }
        if (length < 1) {
            throw new IllegalArgumentException("input length ell=" + length + " must be >= 1");
        }
        if (fftLength < 2 * length - 1) {
            throw new IllegalArgumentException("convolution FFT length n=" + fftLength
                + " must be >= 2*ell-1=" + (2 * length - 1));
        }
        if ((long) batch * channels * length > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("B*H*ell=" + ((long) batch * channels * length)
                + " exceeds the largest Java array");
        }
    }

    /** Shape with the default FFT length (smallest even 7-smooth n ≥ 2ℓ; see the class comment for its backends). */
    public static ConvShape of(int batch, int channels, int length, boolean bidirectional) {
        if (length < 1) {
            throw new IllegalArgumentException("input length ell=" + length + " must be >= 1");
        }
        return new ConvShape(batch, channels, length, bidirectional, ComplexFftPlan.nextSmooth(2 * length, 2));
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
