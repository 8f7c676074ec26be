package org.rtf4j.baselines;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HiPPO-LegS in normal-plus-low-rank (NPLR) form, diagonalised. For state size N and n, k = 0..N−1:
 * <pre>
 *   A_nk = −√(2n+1)·√(2k+1)  (n &gt; k),   −(n+1)  (n = k),   0  (n &lt; k)
 *   B_n  = √(2n+1),   p_n = √(n + 1/2)
 *   A + p pᵀ = S − I/2,   S_nk = −½·√(2n+1)·√(2k+1)·sign(n − k)   (real skew-symmetric)
 * </pre>
 * The eigenvalues of {@code A + p pᵀ} are {@code −1/2 + i·w}, w the real eigenvalues of the Hermitian
 * matrix {@code −iS}, which come in ± pairs. The N/2 with {@code w < 0} are kept, ascending in w (most
 * negative first): {@code Λ_m = −1/2 + i·w_m}. Each kept unit eigenvector v_m is given the phase that makes
 * {@code P_m = v_m* p} real and positive, so {@code P_m = |⟨v_m, p⟩|}, and since {@code B = √2·p},
 * {@code B̃ = V* B = √2·P}. Over the kept modes {@code Σ P_m² = ‖p‖²/2 = N²/4}.
 *
 * <p>No eigenvector is formed (spectral measure, Golub–Welsch style):
 * <ol>
 *   <li>Householder similarities reduce S to skew-symmetric tridiagonal {@code T = Qᵀ S Q} with
 *       {@code Q e₀ = ±p/‖p‖}: the first reflector sends p to a multiple of e₀, the later ones act on
 *       indices ≥ 1 only and leave e₀ fixed. Only the strict lower triangle of S is stored (packed rows).</li>
 *   <li>{@code −iT} is unitarily similar, through {@code diag(1, i, i², …)} (which fixes e₀ up to phase),
 *       to the real symmetric tridiagonal J with zero diagonal and off-diagonals {@code |t_k|}.</li>
 *   <li>Implicit QL with shifts gives J's eigenvalues w_j and the first components z_j of its unit
 *       eigenvectors, rotating only the first row of the eigenvector matrix; {@code P = ‖p‖·|z_j|}.</li>
 * </ol>
 * O(N³) flops and N²/2 doubles once per N; results are cached.
 */
public final class HippoLegS {
    /** Largest accepted state size. */
    public static final int MAX_STATE_SIZE = 1 << 15;

    private static final ConcurrentHashMap<Integer, Nplr> CACHE = new ConcurrentHashMap<>();
    private static final double SQRT2 = Math.sqrt(2.0);

    private HippoLegS() {
    }

    /**
     * Immutable diagonalised LegS NPLR data for one N: {@code Λ_m = lambdaReal() + i·lambdaImag()[m]},
     * {@code P_m = p()[m]} and {@code B̃_m = b()[m] = √2·P_m}, m = 0..N/2−1, in the phase convention where
     * P and B̃ are real and positive.
     */
    public static final class Nplr {
        private final int stateSize;
        private final double[] lambdaImag;
        private final double[] p;
        private final double[] b;

        private Nplr(int stateSize, double[] lambdaImag, double[] p) {
            this.stateSize = stateSize;
            this.lambdaImag = lambdaImag;
            this.p = p;
            this.b = new double[p.length];
            for (int m = 0; m < p.length; m++) {
                b[m] = SQRT2 * p[m];
            }
        }

        /** N. */
        public int stateSize() {
            return stateSize;
        }

        /** Number of kept modes, N/2. */
        public int modes() {
            return lambdaImag.length;
        }

        /** {@code Im Λ_m = w_m}, ascending and all negative (a copy, length N/2). */
        public double[] lambdaImag() {
            return lambdaImag.clone();
        }

        /** {@code Re Λ_m = −1/2}, the same for every mode. */
        public double lambdaReal() {
            return -0.5;
        }

        /** {@code P_m = |v_m* p|}, real and positive (a copy, length N/2). */
        public double[] p() {
            return p.clone();
        }

        /** {@code B̃_m = v_m* B = √2·P_m}, real and positive (a copy, length N/2). */
        public double[] b() {
            return b.clone();
        }
    }

    /**
     * The diagonalised NPLR form of HiPPO-LegS for state size N (computed once per N, then cached).
     *
     * @throws IllegalArgumentException if N is odd, below 2 or above {@link #MAX_STATE_SIZE}
     */
    public static Nplr of(int stateSize) {
        if (stateSize < 2 || stateSize % 2 != 0 || stateSize > MAX_STATE_SIZE) {
            throw new IllegalArgumentException("state size N must be even and in [2, " + MAX_STATE_SIZE + "], got "
                + stateSize);
        }
        return CACHE.computeIfAbsent(stateSize, HippoLegS::diagonalise);
    }

    /** Dense LegS A (row-major n×n): −√(2i+1)√(2k+1) below the diagonal, −(i+1) on it, 0 above. */
    public static double[] matrixA(int n) {
        checkDense(n);
        double[] sq = vectorB(n);
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < i; k++) {
                a[i * n + k] = -sq[i] * sq[k];
            }
            a[i * n + i] = -(i + 1.0);
        }
        return a;
    }

    /** LegS input vector {@code B_i = √(2i+1)}. */
    public static double[] vectorB(int n) {
        checkDense(n);
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            b[i] = Math.sqrt(2.0 * i + 1.0);
        }
        return b;
    }

    /** Low-rank vector {@code p_i = √(i + 1/2)}, so that {@code A + p pᵀ = S − I/2} with S skew-symmetric. */
    public static double[] vectorP(int n) {
        checkDense(n);
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = Math.sqrt(i + 0.5);
        }
        return p;
    }

    private static void checkDense(int n) {
        if (n < 1 || n > MAX_STATE_SIZE) {
            throw new IllegalArgumentException("size n must be in [1, " + MAX_STATE_SIZE + "], got " + n);
        }
    }

    /** Offset of packed row i (entries j = 0..i−1 of the strict lower triangle). */
    private static int row(int i) {
        return i * (i - 1) / 2;
    }

    /**
     * Heap bytes {@link #of} allocates for a state size not yet cached: the packed strict lower triangle of
     * the n×n skew-symmetric matrix (n(n−1)/2 float64 values) and about a dozen float64 vectors of length n.
     * Saturates instead of overflowing.
     */
    public static long bytesNeeded(long n) {
        return org.rtf4j.kernels.backend.MemoryCheck.times(8, org.rtf4j.kernels.backend.MemoryCheck.plus(
            org.rtf4j.kernels.backend.MemoryCheck.times(n, Math.max(0, n - 1)) / 2,
            org.rtf4j.kernels.backend.MemoryCheck.times(16, n)));
    }

    private static Nplr diagonalise(int n) {
        double[] sq = vectorB(n);
        double[] s = new double[row(n)];
        for (int i = 1; i < n; i++) {
            int r = row(i);
            for (int j = 0; j < i; j++) {
                s[r + j] = -0.5 * sq[i] * sq[j];
            }
        }
        double[] p = vectorP(n);
        double pNorm = 0;
        for (double x : p) {
            pNorm += x * x;
        }
        pNorm = Math.sqrt(pNorm);
        double[] t = tridiagonalise(s, n, p, pNorm);

        // J: zero diagonal, off-diagonal e[k] = |t[k+1]| between k and k+1
        double[] w = new double[n];
        double[] e = new double[n];
        for (int k = 0; k + 1 < n; k++) {
            e[k] = Math.abs(t[k + 1]);
        }
        double[] z = new double[n];
        z[0] = 1.0;
        implicitQl(w, e, z);

        Integer[] order = new Integer[n];
        for (int j = 0; j < n; j++) {
            order[j] = j;
        }
        Arrays.sort(order, (x, y) -> Double.compare(w[x], w[y]));
        int modes = n / 2;
        double[] im = new double[modes];
        double[] pm = new double[modes];
        for (int m = 0; m < modes; m++) {
            int j = order[m];
            if (!(w[j] < 0)) {
                throw new IllegalStateException("LegS N=" + n + ": kept eigenvalue w=" + w[j] + " is not negative");
            }
            im[m] = w[j];
            pm[m] = pNorm * Math.abs(z[j]);
        }
        return new Nplr(n, im, pm);
    }

    /**
     * Reduces skew-symmetric S (packed strict lower triangle, overwritten) to tridiagonal {@code T = Qᵀ S Q}
     * with {@code Q e₀ = −p/‖p‖} and returns {@code t[k] = T[k][k−1]}, k = 1..n−1.
     *
     * <p>A reflector {@code H = I − β w wᵀ} ({@code β = 2/wᵀw}) acts on skew S as
     * {@code H S H = S + w uᵀ − u wᵀ} with {@code u = β S w}, because {@code wᵀ S w = 0}. The first
     * reflector sends p to {@code −‖p‖e₀}; the one for column c is supported on indices ≥ c+1 (so e₀ stays
     * fixed) and sends the part of column c below the diagonal to {@code t[c+1]·e_{c+1}}. Each sweep over the
     * trailing triangle applies the pending reflector and in the same pass accumulates {@code S w} for the
     * next one, whose vector needs only the updated column c, computed just before.
     */
    private static double[] tridiagonalise(double[] s, int n, double[] p, double pNorm) {
        double[] t = new double[n];
        // pending reflector (w, u); none before the first sweep
        double[] w = new double[n];
        double[] u = new double[n];
        double[] w2 = p.clone();
        double[] u2 = new double[n];
        w2[0] += pNorm; // p_0 > 0: no cancellation
        sweep(s, n, 0, w, u, w2, u2, 2.0 / dot(w2, w2, 0, n));
        for (int c = 0; ; c++) {
            double[] tmp = w;
            w = w2;
            w2 = tmp;
            tmp = u;
            u = u2;
            u2 = tmp;
            double uc = u[c];
            double wc = w[c];
            if (c + 2 == n) {
                t[n - 1] = s[row(n - 1) + c] + w[n - 1] * uc - u[n - 1] * wc;
                return t;
            }
            // column c below the diagonal after the pending reflector, and the reflector sending it to t e_{c+1}
            double norm = 0;
            for (int i = c + 1; i < n; i++) {
                double x = s[row(i) + c] + w[i] * uc - u[i] * wc;
                w2[i] = x;
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            double alpha = w2[c + 1] > 0 ? -norm : norm;
            t[c + 1] = alpha;
            w2[c + 1] -= alpha; // if norm = 0, w2 = 0 and the reflector is the identity (β = 0)
            sweep(s, n, c + 1, w, u, w2, u2, norm > 0 ? 2.0 / dot(w2, w2, c + 1, n) : 0.0);
        }
    }

    /**
     * On the trailing triangle (indices ≥ from): {@code S += w uᵀ − u wᵀ}, and {@code u2 = β2·S w2} with the
     * updated S.
     */
    private static void sweep(double[] s, int n, int from, double[] w, double[] u, double[] w2, double[] u2,
                              double beta2) {
        Arrays.fill(u2, from, n, 0.0);
        for (int i = from + 1; i < n; i++) {
            u2[i] += sweepRow(s, row(i), from, i, w[i], u[i], w2[i], w, u, w2, u2);
        }
        for (int i = from; i < n; i++) {
            u2[i] *= beta2;
        }
    }

    /**
     * Row i of {@link #sweep}: {@code S[i][j] += w_i u_j − u_i w_j} for {@code from ≤ j < i}; adds
     * {@code S[j][i]·w2_i = −S[i][j]·w2_i} to {@code u2_j} and returns {@code Σ_j S[i][j]·w2_j}.
     */
    private static double sweepRow(double[] s, int r, int from, int i, double wi, double ui, double w2i,
                                   double[] w, double[] u, double[] w2, double[] u2) {
        double acc = 0;
        for (int j = from; j < i; j++) {
            double x = s[r + j] + wi * u[j] - ui * w[j];
            s[r + j] = x;
            acc += x * w2[j];
            u2[j] -= x * w2i;
        }
        return acc;
    }

    private static double dot(double[] a, double[] b, int from, int to) {
        double acc = 0;
        for (int i = from; i < to; i++) {
            acc += a[i] * b[i];
        }
        return acc;
    }

    /**
     * Implicit QL with shifts on the symmetric tridiagonal matrix with diagonal d and off-diagonal e
     * ({@code e[i]} couples i and i+1, {@code e[n−1]} unused). Every plane rotation is also applied to z, the
     * first row of the accumulated eigenvector matrix (start with e₀ᵀ). On return d holds the eigenvalues
     * (unordered) and {@code z[j]} the first component of the unit eigenvector belonging to {@code d[j]}.
     */
    private static void implicitQl(double[] d, double[] e, double[] z) {
        int n = d.length;
        e[n - 1] = 0.0;
        double norm = 0;
        for (int i = 0; i < n; i++) {
            norm = Math.max(norm, Math.abs(d[i]) + Math.abs(e[i]) + (i > 0 ? Math.abs(e[i - 1]) : 0.0));
        }
        double tol = Math.ulp(1.0) * norm;
        for (int l = 0; l < n; l++) {
            for (int iter = 0; ; iter++) {
                int m = l;
                while (m < n - 1 && Math.abs(e[m]) > tol) {
                    m++;
                }
                if (m == l) {
                    break;
                }
                if (iter == 100) {
                    throw new IllegalStateException("implicit QL did not converge for eigenvalue " + l);
                }
                // shift: the eigenvalue of the 2×2 block at (l, l+1) nearer to d[l]
                double g = (d[l + 1] - d[l]) / (2.0 * e[l]);
                double r = Math.hypot(g, 1.0);
                g = d[m] - d[l] + e[l] / (g + Math.copySign(r, g));
                double sin = 1.0;
                double cos = 1.0;
                double shifted = 0.0;
                boolean split = false;
                // chase the bulge from the bottom of the block (m) up to l
                for (int i = m - 1; i >= l; i--) {
                    double f = sin * e[i];
                    double h = cos * e[i];
                    r = Math.hypot(f, g);
                    e[i + 1] = r;
                    if (r == 0.0) {
                        // the rotation underflowed: the block splits at i+1, start over
                        d[i + 1] -= shifted;
                        e[m] = 0.0;
                        split = true;
                        break;
                    }
                    sin = f / r;
                    cos = g / r;
                    g = d[i + 1] - shifted;
                    r = (d[i] - g) * sin + 2.0 * cos * h;
                    shifted = sin * r;
                    d[i + 1] = g + shifted;
                    g = cos * r - h;
                    double z1 = z[i + 1];
                    z[i + 1] = sin * z[i] + cos * z1;
                    z[i] = cos * z[i] - sin * z1;
                }
                if (!split) {
                    d[l] -= shifted;
                    e[l] = g;
                    e[m] = 0.0;
                }
            }
        }
    }
}
