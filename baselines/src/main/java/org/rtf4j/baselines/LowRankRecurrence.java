package org.rtf4j.baselines;

/**
 * S4's linear-mode recurrence (rank 1, bilinear) over (B, H) with M modes per channel, in float64. With
 * the half state s standing for the conjugate-symmetric full state, {@code D̃ = (2/Δ − Λ)⁻¹},
 * {@code E = 2/Δ + Λ}, {@code ρ = Q D̃ / (1 + 2·Re Σ Q D̃ P)}:
 * <pre>
 *   s' = E ⊙ s − P·2·Re(Σ_m Q_m s_m) + 2 B u_t
 *   s  = D̃ ⊙ (s' − P·2·Re(Σ_m ρ_m s'_m))
 *   y_t = 2·Re Σ_m C_m s_m + D u_t
 * </pre>
 */
final class LowRankRecurrence extends ComplexStateRecurrence {
    private final double[] dTilde;
    private final double[] e;
    private final double[] p;
    private final double[] rho;
    private final double[] b;
    private final double[] c;
    private final double[] d;

    LowRankRecurrence(int batch, int h, int modes, double[] dTilde, double[] e, double[] p, double[] rho,
                      double[] b, double[] c, double[] d) {
        super(batch, h, modes);
        this.dTilde = dTilde;
        this.e = e;
        this.p = p;
        this.rho = rho;
        this.b = b;
        this.c = c;
        this.d = d;
    }

    @Override
    protected double stepRow(int ch, int so, double ut) {
        int po = 2 * ch * modes;
        // 2 Re sum Q s, Q = conj P
        double qs = 0;
        for (int m = 0; m < modes; m++) {
            int s = so + 2 * m;
            int q = po + 2 * m;
            qs += p[q] * state[s] + p[q + 1] * state[s + 1];
        }
        qs *= 2;
        double rs = 0;
        for (int m = 0; m < modes; m++) {
            int s = so + 2 * m;
            int q = po + 2 * m;
            double sr = e[q] * state[s] - e[q + 1] * state[s + 1] - p[q] * qs + 2 * b[q] * ut;
            double si = e[q] * state[s + 1] + e[q + 1] * state[s] - p[q + 1] * qs + 2 * b[q + 1] * ut;
            state[s] = sr;
            state[s + 1] = si;
            rs += rho[q] * sr - rho[q + 1] * si;
        }
        rs *= 2;
        double acc = d[ch] * ut;
        for (int m = 0; m < modes; m++) {
            int s = so + 2 * m;
            int q = po + 2 * m;
            double xr = state[s] - p[q] * rs;
            double xi = state[s + 1] - p[q + 1] * rs;
            double nr = dTilde[q] * xr - dTilde[q + 1] * xi;
            double ni = dTilde[q] * xi + dTilde[q + 1] * xr;
            state[s] = nr;
            state[s + 1] = ni;
            acc += 2 * (c[q] * nr - c[q + 1] * ni);
        }
        return acc;
    }
}
