package org.rtf4j.rtf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.testing.Check;
import org.rtf4j.kernels.testing.WithJvmBackend;
import org.rtf4j.layer.Parameter;

/**
 * Forward at awkward lengths ℓ = L ∈ {1(L=2), 2, 3, 5, 17, 127, 1000, 1047} with N = 1 and N = L − 1,
 * causal and bidirectional, both precisions, against naive-DFT kernels and direct convolution sums;
 * in float64 also a directional-derivative check of all gradients.
 */
class RtfAwkwardSizesTest extends WithJvmBackend {

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (int ell : new int[] {1, 2, 3, 5, 17, 127, 1000, 1047}) {
            int len = Math.max(2, ell);
            for (int order : new int[] {1, len - 1}) {
                for (boolean bi : new boolean[] {false, true}) {
                    for (Precision p : Precision.values()) {
                        out.add(Arguments.of(ell, len, order, bi, p));
                    }
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "ell={0} L={1} N={2} bi={3} {4}")
    @MethodSource("cases")
    void matchesDirectReference(int ell, int len, int order, boolean bi, Precision p) {
        int h = 2;
        int batch = 2;
        RtfConfig cfg = RtfConfig.builder(h, order, len).bidirectional(bi).init(RtfConfig.Init.MONTEL)
            .precision(p).seed(ell * 7L + order).build();
        SplittableRandom r = new SplittableRandom(ell + 1000L * order);
        double[] u = new double[batch * h * ell];
        for (int i = 0; i < u.length; i++) {
            u[i] = r.nextDouble(-1, 1);
        }
        try (RtfLayer layer = new RtfLayer(cfg, be)) {
            double[] ab = layer.ab().value();
            int dirs = cfg.directions();
            for (int i = dirs * h * order; i < ab.length; i++) {
                ab[i] = r.nextDouble(-1, 1) / order;
            }
            // the layer rounds parameters and input to its precision: so does the reference
            double[] abR = org.rtf4j.kernels.testing.Host.round(p, ab);
            double[] h0R = org.rtf4j.kernels.testing.Host.round(p, layer.h0().value());
            double[][] k = new double[dirs][h * ell];
            for (int d = 0; d < dirs; d++) {
                for (int c = 0; c < h; c++) {
                    double[] kc = RtfReference.kernel(abR, (d * h + c) * order, abR, (dirs * h + d * h + c) * order,
                        h0R[d * h + c], order, len, ell);
                    System.arraycopy(kc, 0, k[d], c * ell, ell);
                }
            }
            double[] yRef = RtfReference.conv(k[0], bi ? k[1] : null, org.rtf4j.kernels.testing.Host.round(p, u), batch, h, ell);
            double[] y = layer.forward(u, batch, ell);
            int n = 2 * Math.max(len, ell);
            double scale = p == Precision.F64 ? 1 : Math.sqrt(ell);
            Check.close("y", y, yRef, Check.values(p, n) * scale);
            for (int d = 0; d < dirs; d++) {
                Check.close("k" + d, layer.kernel(d, ell), k[d], Check.values(p, n));
            }
            if (p == Precision.F64) {
                directionalDerivative(layer, u, batch, ell, r);
            }
        }
    }

    /** ⟨∇ℒ, v⟩ against (ℒ(θ + εv) − ℒ(θ − εv)) / 2ε for one random direction over u and all parameters. */
    private static void directionalDerivative(RtfLayer layer, double[] u, int batch, int ell, SplittableRandom r) {
        double[] w = new double[u.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = r.nextDouble(-1, 1);
        }
        layer.forward(u, batch, ell);
        layer.zeroGrad();
        double[] du = new double[u.length];
        layer.backward(w, du);
        double[] vu = new double[u.length];
        for (int i = 0; i < vu.length; i++) {
            vu[i] = r.nextDouble(-1, 1);
        }
        double analytic = RtfReference.dot(du, vu);
        List<double[]> dirs = new ArrayList<>();
        for (Parameter q : layer.parameters()) {
            double[] v = new double[q.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = r.nextDouble(-1, 1) * 1e-2;
            }
            dirs.add(v);
            analytic += RtfReference.dot(q.grad(), v);
        }
        double eps = 1e-5;
        double[] lossPM = new double[2];
        for (int s = 0; s < 2; s++) {
            double sign = s == 0 ? 1 : -1;
            double[] us = u.clone();
            for (int i = 0; i < us.length; i++) {
                us[i] += sign * eps * vu[i];
            }
            List<double[]> saved = new ArrayList<>();
            for (int qi = 0; qi < layer.parameters().size(); qi++) {
                double[] val = layer.parameters().get(qi).value();
                saved.add(val.clone());
                for (int i = 0; i < val.length; i++) {
                    val[i] += sign * eps * dirs.get(qi)[i];
                }
            }
            lossPM[s] = RtfReference.dot(layer.forward(us, batch, ell), w);
            for (int qi = 0; qi < layer.parameters().size(); qi++) {
                layer.parameters().get(qi).set(saved.get(qi));
            }
        }
        double fd = (lossPM[0] - lossPM[1]) / (2 * eps);
        assertEquals(analytic, fd, 1e-7 * Math.max(1, Math.abs(analytic)), "directional derivative");
    }
}
