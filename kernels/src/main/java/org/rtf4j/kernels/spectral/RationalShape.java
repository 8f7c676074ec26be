package org.rtf4j.kernels.spectral;

import org.rtf4j.kernels.backend.MemoryCheck;
import org.rtf4j.kernels.backend.MemoryLimitException;

/**
 * Shape of one RTF kernel generation: {@code numA} denominators of order N shared by groups of
 * {@code H/numA} consecutive channels, kernel length L and FFT length {@code P = L + (L mod 2)}.
 * Channel c uses denominator {@code g(c) = c / (H/numA)}.
 *
 * <p><b>Sizes.</b> The constructor computes the kernel spectra's element count 2·(P/2 + 1)·H in long and
 * refuses, in one line naming the sizes, a shape where it would not fit a Java array; every accessor below
 * is at most that count, so it fits an int, and so does numA + H (H is at most a quarter of the count).
 */
public record RationalShape(int numA, int channels, int order, int length) {

    /**
     * The rational spectrum kernels evaluate a denominator again directly at every bin where the FFT gives
     * {@code |A_k| < REFINE_BELOW · (1 + Σ|a_n|)}: there the FFT's absolute error (a few ulps of
     * 1 + Σ|a_n| times log2 P) would be a large part of |A_k| (see {@code Backend.rationalSpectrum}).
     */
    public static final double REFINE_BELOW = 1.0 / 16;

    /**
     * Validates the shape; every violated condition is named with its values.
     *
     * @throws IllegalArgumentException naming the first invalid size
     * @throws MemoryLimitException     when the kernel spectra 2·(P/2 + 1)·H would exceed {@link MemoryCheck#MAX_ARRAY}
     */
    public RationalShape {
        if (order < 1) {
            throw new IllegalArgumentException("state size N must be ≥ 1, got " + order);
        }
        if (length <= order) {
            throw new IllegalArgumentException("state size N must be < the length L = " + length + ", got " + order);
        }
        if (channels < 1) {
            throw new IllegalArgumentException("channels H must be ≥ 1, got " + channels);
        }
        if (numA < 1 || numA > channels) {
            throw new IllegalArgumentException("numA must be in [1, H = " + channels + "], got " + numA);
        }
        if (channels % numA != 0) {
            throw new IllegalArgumentException("numA must divide H = " + channels + ", got " + numA);
        }
        if (length > (1 << 29)) {
            throw new IllegalArgumentException("length L must be ≤ " + (1 << 29) + ", got " + length);
        }
        long p = length + (length & 1);
        MemoryCheck.arrayLength("the RTF kernel spectra of channels " + channels + " × length " + length + " (FFT length "
            + p + ")", MemoryCheck.times(2, p / 2 + 1, channels));
    }

    /** Kernel FFT length P = L rounded up to even. */
    public int fftLength() {
        return length + (length & 1);
    }

    /** Bins of the real spectrum, P/2 + 1. */
    public int bins() {
        return fftLength() / 2 + 1;
    }

    /** Channels per denominator, H / numA. */
    public int channelsPerDenominator() {
        return channels / numA;
    }

    /** Denominator row used by channel c. */
    public int denominatorOf(int channel) {
        return channel / channelsPerDenominator();
    }

    /**
     * Elements of the work buffer the backward kernel needs: one complex spectrum row per channel,
     * 2·(P/2 + 1)·H (fits an int: the constructor checks it).
     */
    public int backwardWorkLength() {
        return 2 * bins() * channels;
    }
}
