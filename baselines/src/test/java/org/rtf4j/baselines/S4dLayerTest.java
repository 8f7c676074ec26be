package org.rtf4j.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.testing.Check;
import org.rtf4j.kernels.testing.FiniteDifferences;
import org.rtf4j.kernels.testing.Golden;
import org.rtf4j.kernels.testing.WithJvmBackend;
import org.rtf4j.layer.LayerKind;
import org.rtf4j.layer.Parameter;

/** The S4D layer: golden kernels, outputs and gradients, finite differences, recurrence, bad input. */
class S4dLayerTest extends WithJvmBackend {

    static List<Arguments> goldenCases() {
        List<Arguments> out = new ArrayList<>();
        for (String n : Golden.names("s4d_kernel_")) {
            for (Precision p : Precision.values()) {
                out.add(Arguments.of(n, p));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("goldenCases")
    void matchesGolden(String name, Precision p) {
        Golden g = Golden.load(name);
        int h = g.integer("params.H");
        int n = g.integer("params.N");
        int len = g.integer("params.L");
        int batch = g.integer("params.batch");
        SsmConfig cfg = SsmConfig.s4d(h, n, len).withPrecision(p)
            .withDisc(g.text("params.disc").equals("zoh") ? SsmConfig.Discretization.ZOH : SsmConfig.Discretization.BILINEAR);
        try (S4dLayer layer = new S4dLayer(cfg, be)) {
            BaselineTesting.setFromGolden(layer, g, "params.C");
            double[] d = g.real("params.D");
            layer.dParam.set(d);
            double vt = Check.values(p, 2 * len);
            double gt = Check.gradients(p, 2 * len);
            Check.close(name + " K " + p, BaselineTesting.kernelWithoutSkip(layer, d, len), g.real("outputs.K"), vt);
            Check.close(name + " y " + p, layer.forward(g.real("inputs.u"), batch, len), g.real("outputs.y"), vt);
            // loss sum(w * K): an impulse input makes y = K + D·δ, so backward(w) gives the kernel gradients
            layer.forward(BaselineTesting.impulse(1, h, len), 1, len);
            layer.zeroGrad();
            layer.backward(g.real("inputs.w"), new double[h * len]);
            Check.close(name + " dlog_dt " + p, layer.logDt.grad(), g.real("outputs.dlog_dt"), gt);
            Check.close(name + " dA_real " + p, layer.aReal.grad(), g.real("outputs.dA_real"), gt);
            Check.close(name + " dA_imag " + p, layer.aImag.grad(), g.real("outputs.dA_imag"), gt);
            Check.close(name + " dB " + p, layer.bParam.grad(), interleave(g.real("outputs.dB_re"), g.real("outputs.dB_im")), gt);
            Check.close(name + " dC " + p, layer.cParam.grad(), interleave(g.real("outputs.dC_re"), g.real("outputs.dC_im")), gt);
            double[] w = g.real("inputs.w");
            for (int c = 0; c < h; c++) {
                assertEquals(w[c * len], layer.dParam.grad()[c], 1e-6, "dD = w at lag 0");
            }
        }
    }

    static double[] interleave(double[] re, double[] im) {
        double[] out = new double[2 * re.length];
        for (int i = 0; i < re.length; i++) {
            out[2 * i] = re[i];
            out[2 * i + 1] = im[i];
        }
        return out;
    }

    static List<Arguments> randomCases() {
        List<Arguments> out = new ArrayList<>();
        for (SsmConfig.Discretization disc : SsmConfig.Discretization.values()) {
            for (SsmConfig.Init init : SsmConfig.Init.values()) {
                for (boolean bi : new boolean[] {false, true}) {
                    out.add(Arguments.of(disc, init, bi));
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} {1} bi={2}")
    @MethodSource("randomCases")
    void gradientsMatchFiniteDifferencesAndStepsMatchTheConvolution(SsmConfig.Discretization disc, SsmConfig.Init init,
                                                                      boolean bi) {
        int h = 2;
        int n = 6;
        int len = 23;
        int batch = 2;
        SsmConfig cfg = SsmConfig.s4d(h, n, len).withDisc(disc).withInit(init).withBidirectional(bi)
            .withPrecision(Precision.F64).withSeed(5).withDt(0.05, 0.3);
        SplittableRandom r = new SplittableRandom(17);
        double[] u = new double[batch * h * len];
        double[] w = new double[u.length];
        for (int i = 0; i < u.length; i++) {
            u[i] = r.nextDouble(-1, 1);
            w[i] = r.nextDouble(-1, 1);
        }
        try (S4dLayer layer = new S4dLayer(cfg, be)) {
            double[] y = layer.forward(u, batch, len);
            layer.zeroGrad();
            double[] du = new double[u.length];
            layer.backward(w, du);
            Check.close("du", du, FiniteDifferences.gradient(u, () -> FiniteDifferences.dot(layer.forward(u, batch, len), w), 1e-4), 1e-7);
            for (Parameter q : layer.parameters()) {
                double[] fd = FiniteDifferences.gradient(q.value(), () -> FiniteDifferences.dot(layer.forward(u, batch, len), w), 1e-4);
                Check.close("d" + q.name(), q.grad(), fd, 1e-7);
            }
            if (!bi) {
                Check.close("recurrent steps vs convolution", layer.recurrent(batch).run(u, len), y, 1e-12);
            } else {
                assertThrows(IllegalStateException.class, () -> layer.recurrent(1));
            }
        }
    }

    @Test
    void longKernelFloat32StaysCloseToFloat64() {
        int h = 4;
        int n = 64;
        int len = 16384;
        double[] k64;
        try (S4dLayer layer = new S4dLayer(SsmConfig.s4d(h, n, len).withPrecision(Precision.F64).withSeed(2), be)) {
            k64 = layer.kernel(0, len);
        }
        try (S4dLayer layer = new S4dLayer(SsmConfig.s4d(h, n, len).withPrecision(Precision.F32).withSeed(2), be)) {
            Check.close("f32 kernel L=16384", layer.kernel(0, len), k64, Check.values(Precision.F32, len));
        }
    }

    @Test
    void badInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SsmConfig.s4d(4, 7, 32));
        assertTrue(e.getMessage().contains("state size N must be even and ≥ 2 (N/2 complex modes are stored), got 7"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SsmConfig.s4d(4, 8, 32).withDt(0, 0.1));
        assertTrue(e.getMessage().contains("got [0.0, 0.1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SsmConfig.s4d(4, 8, 32).withDt(-1e-3, 0.1));
        assertTrue(e.getMessage().contains("0 < dtMin"), e.getMessage());
        try (S4dLayer layer = new S4dLayer(SsmConfig.s4d(2, 4, 8).withPrecision(Precision.F64), be)) {
            assertEquals(LayerKind.S4D, layer.kind());
            assertEquals(4, layer.stateSize());
            layer.aImag.value()[1] = Double.NaN;
            e = assertThrows(IllegalArgumentException.class, () -> layer.forward(new double[16], 1, 8));
            assertTrue(e.getMessage().contains("parameter A_imag has a non-finite value NaN at index 1"), e.getMessage());
            layer.aImag.value()[1] = 1;
            e = assertThrows(IllegalArgumentException.class, () -> layer.forward(new double[15], 1, 8));
            assertTrue(e.getMessage().contains("u has 15 elements"), e.getMessage());
        }
    }
}
