package org.rtf4j.kernels.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.dense.GemmShape;

/**
 * The GEMM tests' cases and references: shapes with awkward sizes (1, 3, 17, 63, 65, 129 and a k past the
 * JVM kernel's panel depth), every transpose pair, α/β, leading dimensions and offsets, strided, shared and
 * summed batches; a plain triple loop in either precision as the reference.
 */
public final class GemmReference {
    private GemmReference() {
    }

    /** One case: its name and shape. */
    public record Case(String name, GemmShape shape) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final int[][] SIZES = {
        {1, 1, 1}, {3, 17, 63}, {17, 63, 65}, {63, 65, 129}, {65, 129, 1}, {129, 1, 3}, {65, 129, 257}, {128, 100, 64},
        {33, 130, 300}};

    /** Every case: sizes × transposes × five ways of calling. */
    public static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (int[] s : SIZES) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0;
                boolean tb = (t & 2) != 0;
                String base = m + "x" + n + "x" + k + (ta ? " Aᵀ" : " A") + (tb ? " Bᵀ" : " B");
                GemmShape g = GemmShape.of(ta, tb, m, n, k);
                out.add(new Case(base + " plain", g));
                out.add(new Case(base + " α=−0.75 β=0.5", g.scaled(-0.75, 0.5)));
                int lda = g.lda() + 3;
                int ldb = g.ldb() + 1;
                int ldc = g.ldc() + 2;
                GemmShape padded = g.leading(lda, ldb, ldc).offsets(5, 2, 7).scaled(1.5, -1.0);
                out.add(new Case(base + " leading dimensions and offsets", padded));
                long sa = padded.aLength();
                long sb = padded.bLength();
                long sc = padded.cLength();
                out.add(new Case(base + " 3 strided batches",
                    padded.batched(3, (int) sa + 1, (int) sb, (int) sc + 4)));
                out.add(new Case(base + " 3 batches, shared A", g.batched(3, 0, (int) g.bLength(), (int) g.cLength())));
                out.add(new Case(base + " 3 batches summed, β=1",
                    g.batched(3, (int) g.aLength(), (int) g.bLength(), 0).scaled(1.0, 1.0)));
            }
        }
        return out;
    }

    /** Uniform values in [−1, 1). */
    public static double[] random(long seed, long n) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[Math.toIntExact(n)];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextDouble(-1, 1);
        }
        return x;
    }

    /** op(A_b)[i][p]. */
    private static double at(GemmShape s, double[] a, int bb, int i, int p) {
        int base = s.aOffset() + bb * s.strideA();
        return s.transA() ? a[base + p * s.lda() + i] : a[base + i * s.lda() + p];
    }

    /** op(B_b)[p][j]. */
    private static double bt(GemmShape s, double[] b, int bb, int p, int j) {
        int base = s.bOffset() + bb * s.strideB();
        return s.transB() ? b[base + j * s.ldb() + p] : b[base + p * s.ldb() + j];
    }

    /**
     * The plain loop in precision p on inputs already rounded to p: for each element one running sum over
     * the batches and p in order, then α·s + β·c (c not read when β = 0). Returns the new C (a copy).
     */
    public static double[] naive(Precision p, GemmShape s, double[] a, double[] b, double[] c) {
        double[] out = c.clone();
        boolean f32 = p == Precision.F32;
        for (int o = 0; o < s.outputs(); o++) {
            int b0 = s.reducesBatches() ? 0 : o;
            int b1 = s.reducesBatches() ? s.batch() : o + 1;
            for (int i = 0; i < s.m(); i++) {
                for (int j = 0; j < s.n(); j++) {
                    int at = s.cOffset() + o * s.strideC() + i * s.ldc() + j;
                    if (f32) {
                        float sum = 0;
                        for (int bb = b0; bb < b1; bb++) {
                            for (int q = 0; q < s.k(); q++) {
                                sum = sum + (float) at(s, a, bb, i, q) * (float) bt(s, b, bb, q, j);
                            }
                        }
                        float alpha = (float) s.alpha();
                        float beta = (float) s.beta();
                        out[at] = beta == 0 ? alpha * sum : alpha * sum + beta * (float) out[at];
                    } else {
                        double sum = 0;
                        for (int bb = b0; bb < b1; bb++) {
                            for (int q = 0; q < s.k(); q++) {
                                sum = sum + at(s, a, bb, i, q) * bt(s, b, bb, q, j);
                            }
                        }
                        out[at] = s.beta() == 0 ? s.alpha() * sum : s.alpha() * sum + s.beta() * out[at];
                    }
                }
            }
        }
        return out;
    }

    /**
     * The scale of the float32 error bound of each element of C: |α|·Σ|op(A)|·|op(B)| + |β|·|c| (c the old
     * value); meaningful only where {@link #written}.
     */
    public static double[] magnitude(GemmShape s, double[] a, double[] b, double[] c) {
        return naive(Precision.F64, s.scaled(Math.abs(s.alpha()), Math.abs(s.beta())), abs(a), abs(b), abs(c));
    }

    private static double[] abs(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.abs(x[i]);
        }
        return y;
    }

    /** Whether element {@code index} of C's buffer is an element of some C. */
    public static boolean written(GemmShape s, int index) {
        for (int o = 0; o < s.outputs(); o++) {
            int rel = index - s.cOffset() - o * s.strideC();
            if (rel >= 0 && rel / s.ldc() < s.m() && rel % s.ldc() < s.n()) {
                return true;
            }
        }
        return false;
    }
}
