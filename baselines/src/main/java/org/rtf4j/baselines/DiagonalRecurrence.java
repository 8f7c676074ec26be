package org.rtf4j.baselines;

/**
 * Diagonal complex recurrence over (B, H) with M modes per channel, in float64:
 * {@code s ← Λ̄ ⊙ s + B̄ u_t},  {@code y_t = 2·Re Σ_m C_m s_m + D u_t}.
 */
final class DiagonalRecurrence extends ComplexStateRecurrence {
    private final double[] zbar;
    private final double[] bbar;
    private final double[] c;
    private final double[] d;

    DiagonalRecurrence(int batch, int h, int modes, double[] zbar, double[] bbar, double[] c, double[] d) {
        super(batch, h, modes);
        this.zbar = zbar;
        this.bbar = bbar;
        this.c = c;
        this.d = d;
    }

    @Override
    protected double stepRow(int ch, int so, double ut) {
        double acc = d[ch] * ut;
        int po = 2 * ch * modes;
        for (int m = 0; m < modes; m++) {
            int s = so + 2 * m;
            int q = po + 2 * m;
            double sr = state[s] * zbar[q] - state[s + 1] * zbar[q + 1] + bbar[q] * ut;
            double si = state[s] * zbar[q + 1] + state[s + 1] * zbar[q] + bbar[q + 1] * ut;
            state[s] = sr;
            state[s + 1] = si;
            acc += 2 * (c[q] * sr - c[q + 1] * si);
        }
        return acc;
    }
}
