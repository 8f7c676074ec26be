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
    void goldenUntruncatedOutputVector() {
        Golden g = Golden.load("s4_kernel_legs_bilinear");
        int len = g.integer("params.L");
        int n = g.integer("params.N");
        try (S4Layer layer = new S4Layer(SsmConfig.s4(1, n, len).withPrecision(Precision.F64), be)) {
            BaselineTesting.setFromGolden(layer, g, "params.C_tilde");
            layer.dParam.set(new double[] {0.0});
            // steps on an impulse reproduce the kernel (the recurrence uses the un-truncated C)
            double[] rec = BaselineTesting.run(layer.recurrent(1), BaselineTesting.impulse(1, 1, len), 1, 1, len);
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
                Check.close("recurrent steps vs convolution", BaselineTesting.run(layer.recurrent(batch), u, batch, h, ell), y, 1e-9);
            }
        }
    }

    @Test
    void factoryAndBadInput() {
        for (LayerKind kind : LayerKind.values()) {
            LayerSpec spec = new LayerSpec(kind, 4, 8, 64, true, Precision.F32, 1);
            try (var layer = SequenceLayers.create(spec, be)) {
                assertEquals(kind, layer.kind());
                assertEquals(8, layer.stateSize());
                assertEquals(true, layer.bidirectional());
                float[] y = new float[2 * 4 * 64];
                layer.forward(new float[y.length], 2, 64, y);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> SsmConfig.s4(4, 8, 32).withDisc(SsmConfig.Discretization.ZOH));
        assertThrows(IllegalArgumentException.class, () -> SsmConfig.s4(4, 8, 32).withInit(SsmConfig.Init.LIN));
        assertThrows(IllegalArgumentException.class, () -> new S4Layer(SsmConfig.s4d(2, 4, 8), be));
    }
}
