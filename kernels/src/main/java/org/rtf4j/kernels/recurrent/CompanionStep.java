package org.rtf4j.kernels.recurrent;

/**
 * O(N) step of one channel's companion-form recurrence (float64, host):
 * <pre>
 *   y_t = Σ_{n=1..N} c_n v_{t−n} + d·u_t,     v_t = u_t − Σ_{n=1..N} a_n v_{t−n}
 * </pre>
 * The history lives in a doubled ring {@code ring[ro .. ro + 2N)} with {@code ring[i] == ring[i + N]};
 * the window {@code ring[ro + pos .. ro + pos + N)} holds {@code (v_{t−N}, …, v_{t−1})}, oldest first, so
 * both sums are contiguous dot products with the reversed coefficients {@code cRev[j] = c_{N−j}},
 * {@code aRev[j] = a_{N−j}}. After the step the caller advances {@code pos} to {@code (pos + 1) mod N}.
 */
public final class CompanionStep {
    private CompanionStep() {
    }

    /** One step; returns y_t and stores v_t in the ring. */
    public static double step(int order, double[] cRev, double[] aRev, int co, double d,
                              double[] ring, int ro, int pos, double u) {
        double y = d * u;
        double fb = 0.0;
        int w = ro + pos;
        for (int j = 0; j < order; j++) {
            double v = ring[w + j];
            y += cRev[co + j] * v;
            fb += aRev[co + j] * v;
        }
        double vNew = u - fb;
        ring[w] = vNew;
        ring[w + order] = vNew;
        return y;
    }
}
