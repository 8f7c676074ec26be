package org.rtf4j.rtf;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.testing.Check;
import org.rtf4j.kernels.testing.FiniteDifferences;
import org.rtf4j.kernels.testing.WithJvmBackend;
import org.rtf4j.layer.Parameter;

/**
 * Every gradient of the layer (u, ab, h_0, scalar) against central finite differences in float64 on
 * random cases: causal and bidirectional, shared and per-channel denominators, with and without the
 * l1-Montel constraint, input shorter than L. Differences are Richardson-extrapolated central
 * differences (steps h and h/2, truncation error O(h⁴)), so cases with poles near the unit circle, where
 * gradients reach 1e3, stay well inside the tolerance 1e-7 (the error measure of {@link Check}).
 */
class RtfGradientTest extends WithJvmBackend {
    private static final double STEP = 1e-4;
    private static final double TOL = 1e-7;

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        // H, N, L, ell, numA, bidirectional, montel
        out.add(Arguments.of(4, 3, 11, 11, 4, false, false));
        out.add(Arguments.of(4, 3, 11, 11, 1, true, false));
        out.add(Arguments.of(4, 2, 16, 9, 2, false, true));
        out.add(Arguments.of(2, 4, 13, 13, 2, true, true));
        out.add(Arguments.of(3, 1, 2, 1, 3, false, false));
        out.add(Arguments.of(2, 6, 7, 7, 1, false, false));
        return out;
    }

    @ParameterizedTest(name = "H={0} N={1} L={2} ell={3} numA={4} bi={5} montel={6}")
    @MethodSource("cases")
    void gradientsMatchCentralDifferences(int h, int order, int len, int ell, int numA, boolean bi, boolean montel) {
        int batch = 2;
        RtfConfig cfg = RtfConfig.builder(h, order, len).numA(numA).bidirectional(bi)
            .constraint(montel ? RtfConfig.Constraint.L1_MONTEL : RtfConfig.Constraint.NONE)
            .init(RtfConfig.Init.MONTEL).precision(Precision.F64).seed(h * 31L + order).build();
        SplittableRandom r = new SplittableRandom(99 + len);
        double[] u = new double[batch * h * ell];
        double[] w = new double[u.length];
        for (int i = 0; i < u.length; i++) {
            u[i] = r.nextDouble(-1, 1);
            w[i] = r.nextDouble(-1, 1);
        }
        try (RtfLayer layer = new RtfLayer(cfg, be)) {
            // numerators away from zero so that da is not trivially small
            double[] ab = layer.ab().value();
            int numStart = cfg.directions() * numA * order;
            for (int i = numStart; i < ab.length; i++) {
                ab[i] = r.nextDouble(-1, 1);
            }
            double[] y = layer.forward(u, batch, ell);
            layer.zeroGrad();
            double[] du = new double[u.length];
            layer.backward(w, du);

            Check.close("du", du, differences(layer, u, u, batch, ell, w), TOL);
            for (Parameter p : layer.parameters()) {
                Check.close("d" + p.name(), p.grad(), differences(layer, p.value(), u, batch, ell, w), TOL);
            }
            if (y.length != u.length) {
                throw new AssertionError("output shape");
            }
        }
    }

    private static double[] differences(RtfLayer layer, double[] v, double[] u, int batch, int ell, double[] w) {
        return FiniteDifferences.gradient(v, () -> FiniteDifferences.dot(layer.forward(u, batch, ell), w), STEP);
    }
}
