package org.rtf4j.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ejml.data.ZMatrixRMaj;
import org.ejml.dense.row.CommonOps_ZDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rtf4j.kernels.testing.Check;
import org.rtf4j.kernels.testing.Golden;

/** The LegS NPLR diagonalisation against golden values, the resolvent identity and its invariants. */
class HippoLegSTest {

    @Test
    void matchesGoldenAndReferenceValues() {
        Golden g = Golden.load("s4_kernel_legs_bilinear");
        HippoLegS.Nplr r = HippoLegS.of(8);
        double[] lam = g.complex("params.Lambda");
        double[] p = g.complex("params.P");
        double[] b = g.complex("params.B");
        double[] im = new double[4];
        double[] pr = new double[4];
        double[] br = new double[4];
        for (int m = 0; m < 4; m++) {
            assertEquals(-0.5, lam[2 * m], 1e-12);
            im[m] = lam[2 * m + 1];
            pr[m] = p[2 * m];
            br[m] = b[2 * m];
        }
        Check.close("Im Lambda", r.lambdaImag(), im, 1e-10);
        Check.close("P", r.p(), pr, 1e-10);
        Check.close("B", r.b(), br, 1e-10);
        Check.close("Im Lambda (reference text)", r.lambdaImag(), new double[] {-19.8574104, -5.3542085, -1.9577942, -0.4274887}, 1e-7);
        HippoLegS.Nplr r4 = HippoLegS.of(4);
        Check.close("N=4", r4.lambdaImag(), new double[] {-4.6032930, -0.5565011}, 1e-7);
        Check.close("N=4 |P|^2", new double[] {r4.p()[0] * r4.p()[0], r4.p()[1] * r4.p()[1]}, new double[] {3.5325221, 0.4674779}, 1e-7);
        double[] im64 = HippoLegS.of(64).lambdaImag();
        double[] lead = {1303.27, 433.03, 258.15, 182.62, 140.21};
        for (int i = 0; i < lead.length; i++) {
            assertEquals(lead[i], -im64[i], 1e-2, "N=64 mode " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 16, 64, 256, 1024})
    void invariants(int n) {
        HippoLegS.Nplr r = HippoLegS.of(n);
        double[] im = r.lambdaImag();
        double[] p = r.p();
        double sum = 0;
        for (int m = 0; m < n / 2; m++) {
            assertTrue(im[m] < 0, "Im Lambda < 0");
            assertTrue(m == 0 || im[m] >= im[m - 1], "ascending");
            assertTrue(p[m] > 0, "P > 0");
            sum += p[m] * p[m];
        }
        assertEquals(n * n / 4.0, sum, 1e-9 * n * n, "sum P^2 = |p|^2 / 2");
    }

    /** p^T (zI − M)^{-1} p = Σ over all eigenvalues |<v,p>|²/(z − λ), M = A + p pᵀ, at two complex z. */
    @ParameterizedTest
    @ValueSource(ints = {8, 16})
    void resolventIdentity(int n) {
        HippoLegS.Nplr r = HippoLegS.of(n);
        double[] a = HippoLegS.matrixA(n);
        double[] pv = HippoLegS.vectorP(n);
        for (double[] z : new double[][] {{0.3, 1.7}, {-2.0, -0.4}}) {
            ZMatrixRMaj m = new ZMatrixRMaj(n, n);
            ZMatrixRMaj rhs = new ZMatrixRMaj(n, 1);
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < n; k++) {
                    double x = -(a[i * n + k] + pv[i] * pv[k]);
                    m.set(i, k, x + (i == k ? z[0] : 0), i == k ? z[1] : 0);
                }
                rhs.set(i, 0, pv[i], 0);
            }
            ZMatrixRMaj x = new ZMatrixRMaj(n, 1);
            assertTrue(CommonOps_ZDRM.solve(m, rhs, x));
            double lhsRe = 0;
            double lhsIm = 0;
            for (int i = 0; i < n; i++) {
                lhsRe += pv[i] * x.getReal(i, 0);
                lhsIm += pv[i] * x.getImag(i, 0);
            }
            double rhsRe = 0;
            double rhsIm = 0;
            for (int k = 0; k < n / 2; k++) {
                double w2 = r.p()[k] * r.p()[k];
                for (double sign : new double[] {1, -1}) {
                    double dr = z[0] + 0.5;
                    double di = z[1] - sign * r.lambdaImag()[k];
                    double den = dr * dr + di * di;
                    rhsRe += w2 * dr / den;
                    rhsIm += -w2 * di / den;
                }
            }
            assertEquals(lhsRe, rhsRe, 1e-10 * Math.max(1, Math.abs(lhsRe)), "Re resolvent N=" + n);
            assertEquals(lhsIm, rhsIm, 1e-10 * Math.max(1, Math.abs(lhsIm)), "Im resolvent N=" + n);
        }
    }

    @Test
    void badArguments() {
        for (int n : new int[] {0, 1, 3, 7, 1 << 16}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HippoLegS.of(n));
            assertTrue(e.getMessage().contains("N=" + n), e.getMessage());
        }
    }
}
