package org.rtf4j.rtf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.testing.Check;
import org.rtf4j.kernels.testing.FiniteDifferences;
import org.rtf4j.kernels.testing.WithJvmBackend;
import org.rtf4j.layer.NumericalFailureException;
import org.rtf4j.layer.Parameter;

/**
 * l1-Montel layers whose margin (|s| + 1e-6)/Z is far below float32's resolution of 1 + Σ a_n (the ListOps
 * run that stopped at a relative magnitude of 3.1e-6, θ all negative, s → 0) train in float32: the forward
 * pass accepts them, and its kernels, outputs and gradients follow the float64 layer's; an unconstrained
 * denominator on or near the unit circle is still refused; the gradients of the refined spectrum match
 * central differences.
 */
class RtfMontelMarginTest extends WithJvmBackend {
    private static final int H = 4;
    private static final int BATCH = 2;
    /**
     * float32 gradients of the constrained denominators θ near the margin, relative to their largest: the
     * chain rule of a = θ/Z (§8.3) subtracts from γ_j/Z the nearly equal (γ·θ)/Z², so the float32 error of
     * γ = ∂ℒ/∂a (within the gradients budget of γ's own scale) grows by |γ|/(Z·|∂ℒ/∂θ|): 3.1e-4 on the
     * ListOps denominators and 1.9e-4 for N = 4, L = 512, s = 5e-6 (the gradients budget at 2ℓ = 1024 is
     * 2e-4), 3e-6 … 5e-5 in the other cases. The numerators, h_0, the slack and du keep the budget.
     */
    private static final double THETA_GRADIENTS = 1e-3;

    /** A bidirectional l1-Montel layer with every θ negative (a pole near z = 1) and slack s. */
    private static RtfLayer nearMargin(Precision p, int order, int len, double s, long seed) {
        RtfConfig cfg = RtfConfig.builder(H, order, len).numA(1).bidirectional(true)
            .constraint(RtfConfig.Constraint.L1_MONTEL).precision(p).seed(seed).build();
        RtfLayer layer = new RtfLayer(cfg, be);
        SplittableRandom r = new SplittableRandom(seed);
        double[] ab = layer.ab().value();
        for (int i = 0; i < ab.length; i++) {
            // two denominator rows (forward, backward) then the numerators
            ab[i] = i < 2 * order ? -r.nextDouble(0.05, 1) : r.nextDouble(-1, 1);
        }
        layer.scalar().value()[0] = s;
        return layer;
    }

    private static double[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextDouble(-1, 1);
        }
        return v;
    }

    @ParameterizedTest(name = "N={0} L={1} s={2}")
    @CsvSource({"4, 512, 5e-6", "4, 512, 0", "4, 1024, 1e-7", "64, 784, 0", "64, 2048, 1e-7"})
    void float32FollowsFloat64NearTheMargin(int order, int len, double s) {
        int ell = len;
        double[] u = random(BATCH * H * ell, 1);
        double[] gy = random(BATCH * H * ell, 2);
        try (RtfLayer f32 = nearMargin(Precision.F32, order, len, s, order + len);
             RtfLayer f64 = nearMargin(Precision.F64, order, len, s, order + len)) {
            double z = 1e-6 + Math.abs(s);
            for (int j = 0; j < order; j++) {
                z += Math.abs(f64.ab().value()[j]);
            }
            double margin = (Math.abs(s) + 1e-6) / z;
            assertTrue(margin / 2 < 1e-5, "the margin " + margin + " is below the old float32 threshold");
            compare(f32, f64, u, gy, ell);
        }
    }

    /**
     * The denominators of the ListOps run's row 19 of block 0 (forward and backward) after 1300 float32
     * updates, where the run on the old kernel stopped at update 1068: relative margin 4.3e-6 at bin 0.
     */
    @Test
    void theListOpsDenominatorsFollowFloat64() {
        int len = 512;
        double[] fwd = {-0.3131594819285346, -0.2586909090896568, -0.2927476282185538, -0.23506686410616187};
        double[] bwd = {-0.019459125140863353, 0.06949811909453688, 0.11590722652124633, 0.075952026364901};
        double s = -8.512452555247472e-06;
        double[] u = random(BATCH * H * len, 5);
        double[] gy = random(BATCH * H * len, 6);
        try (RtfLayer f32 = nearMargin(Precision.F32, 4, len, s, 7); RtfLayer f64 = nearMargin(Precision.F64, 4, len, s, 7)) {
            for (RtfLayer l : new RtfLayer[] {f32, f64}) {
                System.arraycopy(fwd, 0, l.ab().value(), 0, 4);
                System.arraycopy(bwd, 0, l.ab().value(), 4, 4);
            }
            double[] a = f64.effectiveDenominators();
            double sum = 0;
            for (int j = 0; j < 4; j++) {
                sum += Math.abs(a[j]);
            }
            assertEquals(4.325e-6, (1 - sum) / (1 + sum), 1e-9, "relative margin of the forward row");
            compare(f32, f64, u, gy, len);
        }
    }

    /** Kernels, outputs and every gradient of a float32 layer within the float32 budgets of its float64 twin. */
    private static void compare(RtfLayer f32, RtfLayer f64, double[] u, double[] gy, int ell) {
        // the kernel: float32 A at its smallest bins is resolved, so the kernel has the float32 budget
        double vt = Check.values(Precision.F32, f32.config().maxLength());
        for (int d = 0; d < 2; d++) {
            Check.close("kernel " + d, f32.kernel(d, ell), f64.kernel(d, ell), vt);
        }
        double[] y32 = f32.forward(u, BATCH, ell);
        double[] y64 = f64.forward(u, BATCH, ell);
        Check.close("y", y32, y64, Check.values(Precision.F32, 2 * ell));
        f32.zeroGrad();
        f64.zeroGrad();
        double[] du32 = new double[u.length];
        double[] du64 = new double[u.length];
        f32.backward(gy, du32);
        f64.backward(gy, du64);
        double gt = Check.gradients(Precision.F32, 2 * ell);
        Check.close("du", du32, du64, gt);
        for (int i = 0; i < f32.parameters().size(); i++) {
            Parameter a = f32.parameters().get(i);
            double[] g32 = a.grad();
            double[] g64 = f64.parameters().get(i).grad();
            if (a.name().equals("ab")) {
                // denominator rows θ (both directions) first, then the numerators
                int den = 2 * f32.config().numA() * f32.config().order();
                Check.close("dθ", Arrays.copyOf(g32, den), Arrays.copyOf(g64, den), THETA_GRADIENTS);
                Check.close("db", Arrays.copyOfRange(g32, den, g32.length), Arrays.copyOfRange(g64, den, g64.length), gt);
            } else {
                Check.close("d" + a.name(), g32, g64, gt);
            }
        }
    }

    @Test
    void float32DefaultThresholdsFollowTheConstraint() {
        assertEquals(1e-5, RtfConfig.builder(4, 2, 32).build().minDenominator());
        assertEquals(1e-8, RtfConfig.builder(4, 2, 32).constraint(RtfConfig.Constraint.L1_MONTEL).build().minDenominator());
        assertEquals(1e-10, RtfConfig.builder(4, 2, 32).precision(Precision.F64).build().minDenominator());
        assertEquals(1e-10, RtfConfig.builder(4, 2, 32).precision(Precision.F64)
            .constraint(RtfConfig.Constraint.L1_MONTEL).build().minDenominator());
    }

    @Test
    void unconstrainedDenominatorsNearOrOnTheCircleAreStillRefusedInFloat32() {
        // a(z) = 1 - (1 - 1e-7) z^-1: margin 1e-7 >= 0, resolved, relative magnitude 5e-8 < 1e-5
        RtfConfig near = RtfConfig.builder(1, 1, 64).precision(Precision.F32).build();
        try (RtfLayer layer = new RtfLayer(near, be)) {
            layer.ab().set(new double[] {-(1 - 1e-7), 1});
            NumericalFailureException e = assertThrows(NumericalFailureException.class,
                () -> layer.forward(new double[64], 1, 64));
            assertEquals(0, e.bin());
            assertEquals(5e-8, e.value(), 5e-8 * 1e-3, e.getMessage());
            assertTrue(e.getMessage().contains("use the l1-Montel constraint"), e.getMessage());
        }
        // a(z) = (1 - z^-1)(1 - 0.5 z^-1) = 1 - 1.5 z^-1 + 0.5 z^-2: negative margin, a root on the circle at bin 0
        RtfConfig on = RtfConfig.builder(1, 2, 64).precision(Precision.F32).build();
        try (RtfLayer layer = new RtfLayer(on, be)) {
            layer.ab().set(new double[] {-1.5, 0.5, 1, 1});
            NumericalFailureException e = assertThrows(NumericalFailureException.class,
                () -> layer.forward(new double[64], 1, 64));
            assertEquals(0, e.bin());
            assertTrue(e.value() < 1e-6, e.getMessage());
        }
    }

    @Test
    void aMontelMarginBelowAChosenThresholdIsRefusedNamingTheMargin() {
        RtfConfig cfg = RtfConfig.builder(H, 4, 64).numA(1).constraint(RtfConfig.Constraint.L1_MONTEL)
            .precision(Precision.F32).minDenominator(1e-3).build();
        try (RtfLayer layer = new RtfLayer(cfg, be)) {
            layer.ab().set(new double[4 * (1 + H)]);
            double[] ab = layer.ab().value();
            for (int j = 0; j < 4; j++) {
                ab[j] = -0.25;
            }
            layer.scalar().value()[0] = 1e-4;
            // Z = 1 + 1e-4 + 1e-6, margin (1e-4 + 1e-6)/Z
            double margin = (1e-4 + 1e-6) / (1 + 1e-4 + 1e-6);
            NumericalFailureException e = assertThrows(NumericalFailureException.class,
                () -> layer.forward(new double[H * 64], 1, 64));
            assertTrue(e.getMessage().contains(String.format("the l1-Montel margin (|s|+1e-6)/Z is %.3e", margin)),
                e.getMessage());
            assertEquals(margin / (1 + (1 - margin)), e.value(), 1e-6 * e.value(), e.getMessage());
        }
    }

    /**
     * Gradients of a float64 l1-Montel layer whose small bins go through the refined evaluation (margin
     * about 1e-3 of Σ|a|, every |A_k| under 1/16 of 1 + Σ|a| near k = 0) against central differences.
     */
    @Test
    void gradientsThroughRefinedBinsMatchCentralDifferences() {
        int ell = 24;
        double[] u = random(BATCH * H * ell, 3);
        double[] w = random(BATCH * H * ell, 4);
        try (RtfLayer layer = nearMargin(Precision.F64, 3, ell, 2e-3, 5)) {
            layer.forward(u, BATCH, ell);
            layer.zeroGrad();
            double[] du = new double[u.length];
            layer.backward(w, du);
            Check.close("du", du, FiniteDifferences.gradient(u,
                () -> FiniteDifferences.dot(layer.forward(u, BATCH, ell), w), 1e-4), 1e-7);
            for (Parameter p : layer.parameters()) {
                double step = p.name().equals("scalar") ? 1e-5 : 1e-4;
                Check.close("d" + p.name(), p.grad(), FiniteDifferences.gradient(p.value(),
                    () -> FiniteDifferences.dot(layer.forward(u, BATCH, ell), w), step), 1e-7);
            }
        }
    }
}
