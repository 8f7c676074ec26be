package org.rtf4j.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.testing.Check;
import org.rtf4j.kernels.testing.FiniteDifferences;
import org.rtf4j.kernels.testing.Golden;
import org.rtf4j.kernels.testing.WithJvmBackend;
import org.rtf4j.layer.LayerKind;
import org.rtf4j.layer.Parameter;

/** The S4 layer: golden kernel and gradients, finite differences, recurrence, bad input. */
class S4LayerTest extends WithJvmBackend {

    @ParameterizedTest
    @EnumSource(Precision.class)
    void matchesGolden(Precision p) {
        Golden g = Golden.load("s4_kernel_legs_bilinear");
        int len = g.integer("params.L");
        int n = g.integer("params.N");
        try (S4Layer layer = new S4Layer(SsmConfig.s4(1, n, len).withPrecision(p), be)) {
            BaselineTesting.setFromGolden(layer, g, "params.C_tilde");
            double[] d = {0.0};
            layer.dParam.set(d);
            double vt = Check.values(p, 2 * len);
            double gt = Check.gradients(p, 2 * len);
            Check.close("K " + p, layer.kernel(0, len), g.real("outputs.K"), vt);
            Check.close("K_dense " + p, layer.kernel(0, len), g.real("outputs.K_dense"), vt);
            layer.forward(BaselineTesting.impulse(1, 1, len), 1, len);
            layer.zeroGrad();
            layer.backward(g.real("inputs.w"), new double[len]);
            Check.close("dlog_dt " + p, layer.logDt.grad(), g.real("outputs.dlog_dt"), gt);
            Check.close("dA_real " + p, layer.aReal.grad(), g.real("outputs.dA_real"), gt);
            Check.close("dA_imag " + p, layer.aImag.grad(), g.real("outputs.dA_imag"), gt);
            Check.close("dP " + p, layer.pParam.grad(), S4dLayerTest.interleave(g.real("outputs.dP_re"), g.real("outputs.dP_im")), gt);
            Check.close("dB " + p, layer.bParam.grad(), S4dLayerTest.interleave(g.real("outputs.dB_re"), g.real("outputs.dB_im")), gt);
            Check.close("dC " + p, layer.cParam.grad(), S4dLayerTest.interleave(g.real("outputs.dC_re"), g.real("outputs.dC_im")), gt);
        }
    }

    @Test
    void aPoleOnTheUnitCircleMakesTheRecurrenceANumericalFailure() {
        // Λ = 0 and P = 0 (A = 0): Ā = I, so I − Ā^L is singular
        try (S4Layer layer = new S4Layer(SsmConfig.s4(1, 2, 8).withPrecision(Precision.F64), be)) {
            java.util.Arrays.fill(layer.aReal.value(), -1000.0);
            java.util.Arrays.fill(layer.aImag.value(), 0.0);
            java.util.Arrays.fill(layer.pParam.value(), 0.0);
            org.rtf4j.layer.NumericalFailureException e = assertThrows(org.rtf4j.layer.NumericalFailureException.class,
                () -> layer.recurrent(1));
            assertEquals(0, e.row());
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("singular for channel 0"), e.getMessage());
        }
    }

    @Test
    void goldenUntruncatedOutputVector() {
        Golden g = Golden.load("s4_kernel_legs_bilinear");
        int len = g.integer("params.L");
        int n = g.integer("params.N");
        try (S4Layer layer = new S4Layer(SsmConfig.s4(1, n, len).withPrecision(Precision.F64), be)) {
            BaselineTesting.setFromGolden(layer, g, "params.C_tilde");
            layer.dParam.set(new double[] {0.0});
            // steps on an impulse reproduce the kernel (the recurrence uses the un-truncated C)
            double[] rec = layer.recurrent(1).run(BaselineTesting.impulse(1, 1, len), len);
            Check.close("impulse response of the recurrence", rec, g.real("outputs.K"), 1e-10);
        }
    }

    @ParameterizedTest(name = "N={0} L={1} bi={2}")
    @CsvSource({"4, 16, false", "4, 17, false", "6, 12, true", "2, 9, true", "8, 2, false"})
    void gradientsMatchFiniteDifferencesAndStepsMatchTheConvolution(int n, int len, boolean bi) {
        int h = 2;
        int batch = 2;
        int ell = Math.max(1, len - 3);
        SsmConfig cfg = SsmConfig.s4(h, n, len).withBidirectional(bi).withPrecision(Precision.F64).withSeed(3).withDt(0.05, 0.3);
        SplittableRandom r = new SplittableRandom(n * 31L + len);
        double[] u = new double[batch * h * ell];
        double[] w = new double[u.length];
        for (int i = 0; i < u.length; i++) {
            u[i] = r.nextDouble(-1, 1);
            w[i] = r.nextDouble(-1, 1);
        }
        try (S4Layer layer = new S4Layer(cfg, be)) {
            double[] y = layer.forward(u, batch, ell);
            layer.zeroGrad();
            double[] du = new double[u.length];
            layer.backward(w, du);
            Check.close("du", du, FiniteDifferences.gradient(u, () -> FiniteDifferences.dot(layer.forward(u, batch, ell), w), 1e-4), 1e-7);
            for (Parameter q : layer.parameters()) {
                double[] fd = FiniteDifferences.gradient(q.value(), () -> FiniteDifferences.dot(layer.forward(u, batch, ell), w), 1e-4);
                Check.close("d" + q.name(), q.grad(), fd, 1e-7);
            }
            if (!bi) {
                Check.close("recurrent steps vs convolution", layer.recurrent(batch).run(u, ell), y, 1e-9);
            }
        }
    }

    /**
     * Random S4 parameters: the kernel equals the impulse response of the dense bilinear recurrence over
     * the full N-dimensional state, {@code K_l = Re(C Ā^l B̄)} with {@code C = C̃ (I − Ā^L)⁻¹}, built with
     * dense complex algebra (no Cauchy sums, no Woodbury identity, no Nyquist limit).
     */
    @ParameterizedTest(name = "N={0} L={1}")
    @CsvSource({"4, 32", "8, 33", "16, 64"})
    void kernelEqualsDenseRecurrence(int n, int len) {
        int h = 2;
        SsmConfig cfg = SsmConfig.s4(h, n, len).withPrecision(Precision.F64).withSeed(n + len).withDt(0.01, 0.2);
        try (S4Layer layer = new S4Layer(cfg, be)) {
            SplittableRandom r = new SplittableRandom(n);
            double[] pv = layer.pParam.value();
            double[] bv = layer.bParam.value();
            for (int i = 0; i < pv.length; i++) {
                pv[i] += r.nextDouble(-0.3, 0.3);
                bv[i] += r.nextDouble(-0.3, 0.3);
            }
            java.util.Arrays.fill(layer.dParam.value(), 0.0);
            double[] k = layer.kernel(0, len);
            int modes = n / 2;
            double[] dense = new double[h * len];
            for (int c = 0; c < h; c++) {
                double dt = Math.exp(layer.logDt.value()[c]);
                org.ejml.data.ZMatrixRMaj a = new org.ejml.data.ZMatrixRMaj(n, n);
                Complex[] lam = new Complex[n];
                Complex[] pf = new Complex[n];
                Complex[] bf = new Complex[n];
                Complex[] cf = new Complex[n];
                for (int m = 0; m < modes; m++) {
                    lam[m] = layer.lambda(c, m);
                    lam[m + modes] = lam[m].conj();
                    pf[m] = Complex.of(pv, 2 * (c * modes + m));
                    pf[m + modes] = pf[m].conj();
                    bf[m] = layer.b(c, m);
                    bf[m + modes] = bf[m].conj();
                    cf[m] = layer.c(0, c, m);
                    cf[m + modes] = cf[m].conj();
                }
                org.ejml.data.ZMatrixRMaj minus = org.ejml.dense.row.CommonOps_ZDRM.identity(n);
                org.ejml.data.ZMatrixRMaj plus = org.ejml.dense.row.CommonOps_ZDRM.identity(n);
                for (int j = 0; j < n; j++) {
                    for (int q = 0; q < n; q++) {
                        Complex x = pf[j].times(pf[q].conj()).times(-1);
                        if (j == q) {
                            x = x.plus(lam[j]);
                        }
                        a.set(j, q, x.re(), x.im());
                        minus.set(j, q, minus.getReal(j, q) - x.re() * dt / 2, minus.getImag(j, q) - x.im() * dt / 2);
                        plus.set(j, q, plus.getReal(j, q) + x.re() * dt / 2, plus.getImag(j, q) + x.im() * dt / 2);
                    }
                }
                org.ejml.data.ZMatrixRMaj abar = new org.ejml.data.ZMatrixRMaj(n, n);
                org.ejml.dense.row.CommonOps_ZDRM.solve(minus, plus, abar);
                org.ejml.data.ZMatrixRMaj bcol = new org.ejml.data.ZMatrixRMaj(n, 1);
                for (int j = 0; j < n; j++) {
                    bcol.set(j, 0, bf[j].re() * dt, bf[j].im() * dt);
                }
                org.ejml.data.ZMatrixRMaj bbar = new org.ejml.data.ZMatrixRMaj(n, 1);
                org.ejml.dense.row.CommonOps_ZDRM.solve(minus, bcol, bbar);
                // x_l = Ā^l B̄; K_l = Re(C x_l) with C = C̃ (I − Ā^L)^-1: K_l = Re(C̃ (I − Ā^L)^-1 Ā^l B̄)
                org.ejml.data.ZMatrixRMaj pw = org.ejml.dense.row.CommonOps_ZDRM.identity(n);
                org.ejml.data.ZMatrixRMaj tmp = new org.ejml.data.ZMatrixRMaj(n, n);
                for (int l = 0; l < len; l++) {
                    org.ejml.dense.row.CommonOps_ZDRM.mult(pw, abar, tmp);
                    pw.setTo(tmp);
                }
                org.ejml.data.ZMatrixRMaj im = org.ejml.dense.row.CommonOps_ZDRM.identity(n);
                org.ejml.dense.row.CommonOps_ZDRM.subtract(im, pw, tmp);
                org.ejml.data.ZMatrixRMaj y = new org.ejml.data.ZMatrixRMaj(n, 1);
                org.ejml.data.ZMatrixRMaj x = bbar.copy();
                for (int l = 0; l < len; l++) {
                    org.ejml.dense.row.CommonOps_ZDRM.solve(tmp, x, y);
                    double acc = 0;
                    for (int j = 0; j < n; j++) {
                        acc += cf[j].re() * y.getReal(j, 0) - cf[j].im() * y.getImag(j, 0);
                    }
                    dense[c * len + l] = acc;
                    org.ejml.data.ZMatrixRMaj nx = new org.ejml.data.ZMatrixRMaj(n, 1);
                    org.ejml.dense.row.CommonOps_ZDRM.mult(abar, x, nx);
                    x = nx;
                }
            }
            Check.close("S4 kernel vs dense recurrence N=" + n + " L=" + len, k, dense, 1e-10);
        }
    }

    @Test
    void badConfigurations() {
        assertThrows(IllegalArgumentException.class, () -> SsmConfig.s4(4, 8, 32).withDisc(SsmConfig.Discretization.ZOH));
        assertThrows(IllegalArgumentException.class, () -> SsmConfig.s4(4, 8, 32).withInit(SsmConfig.Init.LIN));
        assertThrows(IllegalArgumentException.class, () -> new S4Layer(SsmConfig.s4d(2, 4, 8), be));
    }
}
