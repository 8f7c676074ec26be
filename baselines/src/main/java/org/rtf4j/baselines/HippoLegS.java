package org.rtf4j.baselines;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HiPPO-LegS in normal-plus-low-rank form, diagonalised (math reference §10.1):
 * <pre>
 *   A_nk = −√(2n+1)√(2k+1) (n &gt; k),  −(n+1) (n = k),  0 (n &lt; k);   B_n = √(2n+1);   p_n = √(n + 1/2)
 *   A + p pᵀ = S − I/2,  S skew-symmetric;   eigenvalues of A + p pᵀ:  −1/2 + i·w,  w eigenvalues of −iS
 * </pre>
 * The N/2 eigenvalues with w &lt; 0 are kept, ascending in w: {@code Λ_m = −1/2 + i·w_m}. With each kept
 * unit eigenvector v_m rotated so that {@code P_m = v_m* p} is real and positive, {@code B̃ = V* B = √2·P}.
 *
 * <p>No eigenvector is formed: S is reduced to skew-symmetric tridiagonal form by Householder
 * similarities that keep {@code p/‖p‖} as the first basis vector, {@code −iT} is unitarily similar to a
 * real symmetric tridiagonal J with zero diagonal and off-diagonals |t_k|, and the implicit QL algorithm
 * gives J's eigenvalues and the first components z_j of its eigenvectors; then {@code P_m = ‖p‖·|z_j|}.
 * O(N³) once per N (cached), about a second at N = 1024.
 */
public final class HippoLegS {
    private static final ConcurrentHashMap<Integer, Nplr> CACHE = new ConcurrentHashMap<>();

    private HippoLegS() {
    }

    /** Immutable diagonalised LegS NPLR data for one N. */
    public static final class Nplr {
        private final int stateSize;
        private final double[] lambdaImag;
        private final double[] p;

        private Nplr(int stateSize, double[] lambdaImag, double[] p) {
            this.stateSize = stateSize;
            this.lambdaImag = lambdaImag;
            this.p = p;
        }

        public int stateSize() {
            return stateSize;
        }

        /** N/2. */
        public int modes() {
            return lambdaImag.length;
        }

        /** Im Λ_m, ascending, all negative (a copy). */
        public double[] lambdaImag() {
            return lambdaImag.clone();
        }

        /** Re Λ_m = −1/2 for every mode. */
        public double lambdaReal() {
            return -0.5;
        }

        /** P_m, real and positive (a copy). */
        public double[] p() {
            return p.clone();
        }

        /** B̃_m = √2·P_m (a copy). */
        public double[] b() {
            double[] b = p.clone();
            for (int i = 0; i < b.length; i++) {
                b[i] *= Math.sqrt(2.0);
            }
            return b;
        }
    }

    /** The diagonalised form for even N in [2, 2^15]; cached. */
    public static Nplr of(int stateSize) {
        if (stateSize < 2 || stateSize % 2 != 0 || stateSize > (1 << 15)) {
            throw new IllegalArgumentException("state size N=" + stateSize + " must be even and in [2, 32768]");
        }
        Nplr r = CACHE.get(stateSize);
        if (r == null) {
            r = compute(stateSize);
            Nplr prev = CACHE.putIfAbsent(stateSize, r);
            if (prev != null) {
                r = prev;
            }
        }
        return r;
    }

    /** Dense A, row-major N×N. */
    public static double[] matrixA(int n) {
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k <= i; k++) {
                a[i * n + k] = i == k ? -(i + 1.0) : -Math.sqrt(2.0 * i + 1) * Math.sqrt(2.0 * k + 1);
            }
        }
        return a;
    }

    /** B_n = √(2n+1). */
    public static double[] vectorB(int n) {
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            b[i] = Math.sqrt(2.0 * i + 1);
        }
        return b;
    }

    /** p_n = √(n + 1/2). */
    public static double[] vectorP(int n) {
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = Math.sqrt(i + 0.5);
        }
        return p;
    }

    private static Nplr compute(int n) {
        // S_nk = -(1/2) sqrt(2n+1) sqrt(2k+1) sign(n - k), row-major
        double[] s = new double[n * n];
        double[] sq = vectorB(n);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                s[i * n + k] = i == k ? 0.0 : (i > k ? -0.5 : 0.5) * sq[i] * sq[k];
            }
        }
        double[] p = vectorP(n);
        double pNorm = 0;
        for (double x : p) {
            pNorm += x * x;
        }
        pNorm = Math.sqrt(pNorm);
        double[] v = new double[n];
        double[] q = new double[n];
        // first similarity maps p to a multiple of e_0
        for (int i = 0; i < n; i++) {
            v[i] = p[i];
        }
        v[0] += pNorm;
        reflect(s, n, 0, v, q);
        // tridiagonalise: reflectors on indices > k keep e_0 fixed
        for (int k = 0; k < n - 2; k++) {
            double norm = 0;
            for (int i = k + 1; i < n; i++) {
                norm += s[i * n + k] * s[i * n + k];
            }
            norm = Math.sqrt(norm);
            if (norm == 0) {
                continue;
            }
            double x0 = s[(k + 1) * n + k];
            double alpha = x0 >= 0 ? -norm : norm;
            Arrays.fill(v, 0, k + 1, 0.0);
            for (int i = k + 1; i < n; i++) {
                v[i] = s[i * n + k];
            }
            v[k + 1] -= alpha;
            reflect(s, n, k + 1, v, q);
        }
        // J: zero diagonal, off-diagonals |t_k| = |S[k+1][k]|
        double[] d = new double[n];
        double[] e = new double[n];
        for (int i = 1; i < n; i++) {
            e[i] = Math.abs(s[i * n + i - 1]);
        }
        double[] z = new double[n];
        z[0] = 1.0;
        implicitQl(d, e, z);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(d[a], d[b]));
        int modes = n / 2;
        double[] lam = new double[modes];
        double[] pm = new double[modes];
        for (int m = 0; m < modes; m++) {
            lam[m] = d[order[m]];
            pm[m] = pNorm * Math.abs(z[order[m]]);
            if (!(lam[m] < 0)) {
                throw new IllegalStateException("LegS diagonalisation for N=" + n + " found a kept eigenvalue "
                    + lam[m] + " >= 0");
            }
        }
        return new Nplr(n, lam, pm);
    }

    /**
     * Similarity by the reflector {@code I − β v vᵀ} acting on indices ≥ from (v zero below from):
     * for skew-symmetric S, {@code P S P = S + β (v qᵀ − q vᵀ)} with {@code q = S v}.
     */
    private static void reflect(double[] s, int n, int from, double[] v, double[] q) {
        double vv = 0;
        for (int i = from; i < n; i++) {
            vv += v[i] * v[i];
        }
        if (vv == 0) {
            return;
        }
        double beta = 2.0 / vv;
        for (int i = 0; i < n; i++) {
            double acc = 0;
            int row = i * n;
            for (int k = from; k < n; k++) {
                acc += s[row + k] * v[k];
            }
            q[i] = acc;
        }
        for (int i = 0; i < n; i++) {
            int row = i * n;
            double vi = beta * v[i];
            double qi = beta * q[i];
            for (int k = 0; k < n; k++) {
                s[row + k] += vi * q[k] - qi * v[k];
            }
        }
    }

    /**
     * Implicit QL with shifts on the symmetric tridiagonal (d diagonal, e[i] = J[i][i−1], e[0] unused),
     * applying every rotation to the row vector z (the first row of the eigenvector matrix). On return d
     * holds the eigenvalues and z the eigenvectors' first components.
     */
    private static void implicitQl(double[] d, double[] e, double[] z) {
        int n = d.length;
        for (int i = 1; i < n; i++) {
            e[i - 1] = e[i];
        }
        e[n - 1] = 0.0;
        double f = 0.0;
        double tst1 = 0.0;
        double eps = Math.ulp(1.0);
        for (int l = 0; l < n; l++) {
            tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
            int m = l;
            while (m < n - 1 && Math.abs(e[m]) > eps * tst1) {
                m++;
            }
            if (m > l) {
                int iter = 0;
                do {
                    if (++iter > 200) {
                        throw new IllegalStateException("QL iteration did not converge at index " + l);
                    }
                    double g = d[l];
                    double pp = (d[l + 1] - g) / (2.0 * e[l]);
                    double r = Math.hypot(pp, 1.0);
                    if (pp < 0) {
                        r = -r;
                    }
                    d[l] = e[l] / (pp + r);
                    d[l + 1] = e[l] * (pp + r);
                    double dl1 = d[l + 1];
                    double hh = g - d[l];
                    for (int i = l + 2; i < n; i++) {
                        d[i] -= hh;
                    }
                    f += hh;
                    pp = d[m];
                    double c = 1.0;
                    double c2 = c;
                    double c3 = c;
                    double el1 = e[l + 1];
                    double s = 0.0;
                    double s2 = 0.0;
                    for (int i = m - 1; i >= l; i--) {
                        c3 = c2;
                        c2 = c;
                        s2 = s;
                        g = c * e[i];
                        hh = c * pp;
                        r = Math.hypot(pp, e[i]);
                        e[i + 1] = s * r;
                        s = e[i] / r;
                        c = pp / r;
                        pp = c * d[i] - s * g;
                        d[i + 1] = hh + s * (c * g + s * d[i]);
                        double zi1 = z[i + 1];
                        z[i + 1] = s * z[i] + c * zi1;
                        z[i] = c * z[i] - s * zi1;
                    }
                    pp = -s * s2 * c3 * el1 * e[l] / dl1;
                    e[l] = s * pp;
                    d[l] = c * pp;
                } while (Math.abs(e[l]) > eps * tst1);
            }
            d[l] += f;
            e[l] = 0.0;
        }
    }
}
