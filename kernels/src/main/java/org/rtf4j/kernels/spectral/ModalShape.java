package org.rtf4j.kernels.spectral;

/**
 * Shape of a modal (diagonal or low-rank-corrected) SSM kernel generation: H channels, M stored complex
 * modes (state size N = 2M; the conjugate half is implicit) and kernel length L.
 */
public record ModalShape(int channels, int modes, int length) {

    /** Validates the shape. */
    public ModalShape {
        if (channels < 1) {
            throw new IllegalArgumentException("channels H=" + channels + " must be >= 1");
        }
        if (modes < 1) {
            throw new IllegalArgumentException("modes M=N/2=" + modes + " must be >= 1");
        }
        if (length < 1) {
            throw new IllegalArgumentException("kernel length L=" + length + " must be >= 1");
        }
        if ((long) channels * Math.max(modes, length) > Integer.MAX_VALUE / 16) {
            throw new IllegalArgumentException("H*max(M, L)=" + ((long) channels * Math.max(modes, length)) + " is too large");
        }
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
