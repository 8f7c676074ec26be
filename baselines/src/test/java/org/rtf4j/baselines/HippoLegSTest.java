package org.rtf4j.baselines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rtf4j.kernels.testing.Golden;

/** HiPPO-LegS NPLR diagonalisation: golden and hand values, invariants, and the resolvent of A + p pᵀ. */
class HippoLegSTest {

    private static JsonNode golden() throws IOException {
        Path file = Golden.folder().resolve("s4_kernel_legs_bilinear.json");
        return new ObjectMapper().readTree(file.toFile()).get("params");
    }

    /** Flattens nested JSON number arrays. */
    private static double[] flat(JsonNode node) {
        if (!node.isArray()) {
            return new double[] {node.asDouble()};
        }
        double[][] parts = new double[node.size()][];
        int len = 0;
        for (int i = 0; i < node.size(); i++) {
            parts[i] = flat(node.get(i));
            len += parts[i].length;
        }
        double[] out = new double[len];
        int at = 0;
        for (double[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    /** max |actual − expected| ≤ tol·max(1, max |expected|). */
    private static void close(String what, double[] expected, double[] actual, double tol) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 1.0;
        double err = 0.0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            err = Math.max(err, Math.abs(actual[i] - expected[i]));
        }
        assertTrue(err <= tol * scale, what + ": max abs error " + err + " > " + tol + " * " + scale);
    }

    private static double[] filled(int n, double x) {
        double[] a = new double[n];
        Arrays.fill(a, x);
        return a;
    }

    @Test
    void matchesGoldenFile() throws IOException {
        JsonNode g = golden();
        HippoLegS.Nplr r = HippoLegS.of(8);
        close("Re Lambda", flat(g.get("Lambda").get("re")), filled(4, r.lambdaReal()), 1e-10);
        close("Im Lambda", flat(g.get("Lambda").get("im")), r.lambdaImag(), 1e-10);
        close("Re P", flat(g.get("P").get("re")), r.p(), 1e-10);
        close("Im P", flat(g.get("P").get("im")), new double[4], 1e-10);
        close("Re B", flat(g.get("B").get("re")), r.b(), 1e-10);
        close("Im B", flat(g.get("B").get("im")), new double[4], 1e-10);
        close("hippo_A", flat(g.get("hippo_A")), HippoLegS.matrixA(8), 1e-14);
        close("hippo_B", flat(g.get("hippo_B")), HippoLegS.vectorB(8), 1e-14);
        close("hippo_P", flat(g.get("hippo_P")), HippoLegS.vectorP(8), 1e-14);
    }

    @Test
    void matchesHandValues() {
        HippoLegS.Nplr r8 = HippoLegS.of(8);
        close("N=8 Im Lambda", new double[] {-19.8574104, -5.3542085, -1.9577942, -0.4274887}, r8.lambdaImag(), 1e-7);
        close("N=8 P", new double[] {3.6455778, 1.3038122, 0.8308222, 0.5653061}, r8.p(), 1e-7);

        HippoLegS.Nplr r4 = HippoLegS.of(4);
        double[] p4 = r4.p();
        close("N=4 Im Lambda", new double[] {-4.6032930, -0.5565011}, r4.lambdaImag(), 1e-7);
        close("N=4 |P|^2", new double[] {3.5325221, 0.4674779}, new double[] {p4[0] * p4[0], p4[1] * p4[1]}, 1e-7);

        // N = 2: S = [[0, √3/2], [−√3/2, 0]], so w = −√3/2 and P² = ‖p‖²/2 = 1
        HippoLegS.Nplr r2 = HippoLegS.of(2);
        close("N=2", new double[] {-Math.sqrt(3) / 2, 1.0}, new double[] {r2.lambdaImag()[0], r2.p()[0]}, 1e-14);

        double[] im64 = HippoLegS.of(64).lambdaImag();
        double[] lead = {1303.27, 433.03, 258.15, 182.62, 140.21};
        for (int m = 0; m < lead.length; m++) {
            assertEquals(lead[m], -im64[m], 1e-2, "N=64 |Im Lambda| #" + m);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 16, 64, 256, 1024})
    void invariants(int n) {
        HippoLegS.Nplr r = HippoLegS.of(n);
        assertSame(r, HippoLegS.of(n), "cached");
        assertEquals(n, r.stateSize());
        assertEquals(n / 2, r.modes());
        assertEquals(-0.5, r.lambdaReal());
        double[] im = r.lambdaImag();
        double[] p = r.p();
        double[] b = r.b();
        assertEquals(n / 2, im.length);
        assertEquals(n / 2, p.length);
        assertEquals(n / 2, b.length);
        double sum = 0;
        for (int m = 0; m < n / 2; m++) {
            assertTrue(im[m] < 0, "w < 0 at " + m);
            assertTrue(m == 0 || im[m] > im[m - 1], "w ascending at " + m);
            assertTrue(p[m] > 0, "P > 0 at " + m);
            assertEquals(Math.sqrt(2) * p[m], b[m], 1e-15 * b[m], "B = sqrt(2) P at " + m);
            sum += p[m] * p[m];
        }
        assertEquals(n * (double) n / 4, sum, 1e-9 * n * n / 4, "sum P^2 = N^2/4");
        im[0] = 0;
        p[0] = 0;
        b[0] = 0;
        assertTrue(r.lambdaImag()[0] < 0 && r.p()[0] > 0 && r.b()[0] > 0, "accessors return copies");
    }

    /**
     * A + p pᵀ = S − I/2 is normal, so {@code p^T (zI − M)^{-1} p = Σ_m P_m² (1/(z − Λ_m) + 1/(z − conj Λ_m))};
     * checked at a few z by complex Gaussian elimination, and near each Λ_m the residue equals P_m².
     */
    @ParameterizedTest
    @ValueSource(ints = {8, 16})
    void resolventOfDenseMatrix(int n) {
        HippoLegS.Nplr r = HippoLegS.of(n);
        double[] im = r.lambdaImag();
        double[] pm = r.p();
        for (double[] z : new double[][] {{0.3, 1.7}, {-2.0, -0.4}, {5.0, 20.0}, {0.0, -3.0}}) {
            double[] lhs = quadraticResolvent(n, z[0], z[1]);
            double re = 0;
            double imag = 0;
            for (int m = 0; m < n / 2; m++) {
                for (double w : new double[] {im[m], -im[m]}) {
                    double dr = z[0] + 0.5;
                    double di = z[1] - w;
                    double den = dr * dr + di * di;
                    re += pm[m] * pm[m] * dr / den;
                    imag -= pm[m] * pm[m] * di / den;
                }
            }
            double scale = Math.hypot(lhs[0], lhs[1]);
            assertEquals(lhs[0], re, 1e-12 * scale, "Re resolvent N=" + n + " z=" + z[0] + "+" + z[1] + "i");
            assertEquals(lhs[1], imag, 1e-12 * scale, "Im resolvent N=" + n + " z=" + z[0] + "+" + z[1] + "i");
        }
        for (int m = 0; m < n / 2; m++) {
            double delta = 1e-7;
            double[] f = quadraticResolvent(n, -0.5 + delta, im[m]);
            // residue: (z − Λ_m)·f(z) → P_m² as z → Λ_m; here z − Λ_m = δ (real)
            assertEquals(pm[m] * pm[m], delta * f[0], 1e-5 * pm[m] * pm[m], "residue N=" + n + " m=" + m);
            assertEquals(0.0, delta * f[1], 1e-5 * pm[m] * pm[m], "residue imaginary part N=" + n + " m=" + m);
        }
    }

    /** {@code p^T (zI − A − p pᵀ)^{-1} p} as {re, im}, by Gaussian elimination with partial pivoting. */
    private static double[] quadraticResolvent(int n, double zr, double zi) {
        double[] a = HippoLegS.matrixA(n);
        double[] p = HippoLegS.vectorP(n);
        double[][] mr = new double[n][n + 1];
        double[][] mi = new double[n][n + 1];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                mr[i][k] = -(a[i * n + k] + p[i] * p[k]);
            }
            mr[i][i] += zr;
            mi[i][i] += zi;
            mr[i][n] = p[i];
        }
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int i = c + 1; i < n; i++) {
                if (Math.hypot(mr[i][c], mi[i][c]) > Math.hypot(mr[piv][c], mi[piv][c])) {
                    piv = i;
                }
            }
            double[] t = mr[c];
            mr[c] = mr[piv];
            mr[piv] = t;
            t = mi[c];
            mi[c] = mi[piv];
            mi[piv] = t;
            double den = mr[c][c] * mr[c][c] + mi[c][c] * mi[c][c];
            for (int i = c + 1; i < n; i++) {
                // f = M[i][c] / M[c][c]
                double fr = (mr[i][c] * mr[c][c] + mi[i][c] * mi[c][c]) / den;
                double fi = (mi[i][c] * mr[c][c] - mr[i][c] * mi[c][c]) / den;
                for (int k = c; k <= n; k++) {
                    mr[i][k] -= fr * mr[c][k] - fi * mi[c][k];
                    mi[i][k] -= fr * mi[c][k] + fi * mr[c][k];
                }
            }
        }
        double[] xr = new double[n];
        double[] xi = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double sr = mr[i][n];
            double si = mi[i][n];
            for (int k = i + 1; k < n; k++) {
                sr -= mr[i][k] * xr[k] - mi[i][k] * xi[k];
                si -= mr[i][k] * xi[k] + mi[i][k] * xr[k];
            }
            double den = mr[i][i] * mr[i][i] + mi[i][i] * mi[i][i];
            xr[i] = (sr * mr[i][i] + si * mi[i][i]) / den;
            xi[i] = (si * mr[i][i] - sr * mi[i][i]) / den;
        }
        double re = 0;
        double imag = 0;
        for (int i = 0; i < n; i++) {
            re += p[i] * xr[i];
            imag += p[i] * xi[i];
        }
        return new double[] {re, imag};
    }

    @Test
    void denseMatricesAreTheLegSDefinitions() {
        double[] a = HippoLegS.matrixA(3);
        double s3 = Math.sqrt(3);
        double s5 = Math.sqrt(5);
        assertArrayEquals(new double[] {-1, 0, 0, -s3, -2, 0, -s5, -s3 * s5, -3}, a, 1e-15);
        assertArrayEquals(new double[] {1, s3, s5}, HippoLegS.vectorB(3), 1e-15);
        assertArrayEquals(new double[] {Math.sqrt(0.5), Math.sqrt(1.5), Math.sqrt(2.5)}, HippoLegS.vectorP(3), 1e-15);
    }

    @Test
    void rejectsBadStateSizes() {
        for (int n : new int[] {0, 1, 3, 7, -2, Integer.MIN_VALUE, (1 << 15) + 2, 1 << 16}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HippoLegS.of(n));
            assertTrue(e.getMessage().equals("state size N must be even and in [2, 32768], got " + n), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> HippoLegS.matrixA(0));
        assertThrows(IllegalArgumentException.class, () -> HippoLegS.vectorP(-1));
    }
}
