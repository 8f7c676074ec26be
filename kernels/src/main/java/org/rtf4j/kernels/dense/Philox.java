package org.rtf4j.kernels.dense;

/**
 * The counter-based generator Philox4x32-10 (Salmon, Moraes, Dror and Shaw, "Parallel random numbers: as easy
 * as 1, 2, 3", SC 2011; the Random123 library): a 128-bit counter and a 64-bit key map to 128 random bits by
 * ten rounds of two 32×32→64-bit multiplications, integer arithmetic only, so every backend and precision
 * draws the same bits. The OpenCL twin is {@code philox4x32_10} in {@code norm.cl} ({@code mul_hi} for the
 * high words). Checked against Random123's published known answers ({@code tests/kat_vectors}) in
 * {@code DropoutTest}.
 *
 * <p>One round maps counter (c0, c1, c2, c3) with key (k0, k1) to
 * {@code (hi(M1·c2) ^ c1 ^ k0, lo(M1·c2), hi(M0·c0) ^ c3 ^ k1, lo(M0·c0))}, M0 = 0xD2511F53,
 * M1 = 0xCD9E8D57; between rounds the key is bumped by the Weyl constants (0x9E3779B9, 0xBB67AE85).
 */
public final class Philox {
    /** Multiplier of words 0 and 1. */
    public static final int M0 = 0xD2511F53;
    /** Multiplier of words 2 and 3. */
    public static final int M1 = 0xCD9E8D57;
    /** Key bump of k0 (golden ratio). */
    public static final int W0 = 0x9E3779B9;
    /** Key bump of k1 (√3 − 1). */
    public static final int W1 = 0xBB67AE85;

    private Philox() {
    }

    /**
     * Philox4x32-10 of counter (c0, c1, c2, c3) and key (k0, k1) into {@code out[0..3]} (32-bit words as
     * {@code int}, unsigned in meaning).
     */
    public static void philox4x32x10(int c0, int c1, int c2, int c3, int k0, int k1, int[] out) {
        for (int r = 0; r < 10; r++) {
            if (r > 0) {
                k0 += W0;
                k1 += W1;
            }
            long p0 = (M0 & 0xffffffffL) * (c0 & 0xffffffffL);
            long p1 = (M1 & 0xffffffffL) * (c2 & 0xffffffffL);
            int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
            int n1 = (int) p1;
            int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
            int n3 = (int) p0;
            c0 = n0;
            c1 = n1;
            c2 = n2;
            c3 = n3;
        }
        out[0] = c0;
        out[1] = c1;
        out[2] = c2;
        out[3] = c3;
    }

    /** Word {@code word} (0..3) of Philox4x32-10 of the counter and key, as {@link #philox4x32x10}. */
    public static int word(int c0, int c1, int c2, int c3, int k0, int k1, int word) {
        int[] out = new int[4];
        philox4x32x10(c0, c1, c2, c3, k0, k1, out);
        return out[word];
    }
}
