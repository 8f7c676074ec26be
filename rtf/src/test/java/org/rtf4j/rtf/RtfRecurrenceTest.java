package org.rtf4j.rtf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.testing.Check;
import org.rtf4j.kernels.testing.WithJvmBackend;
import org.rtf4j.kernels.testing.Golden;
import org.rtf4j.layer.Recurrence;

/** Recurrent steps against the golden recurrence and against the convolution, up to 10,000 steps. */
class RtfRecurrenceTest extends WithJvmBackend {

    @Test
    void goldenRecurrence() {
        Golden g = Golden.load("rtf_recurrent_n8_L50");
        int h = 2;
        int order = 8;
        int len = 50;
        int batch = 2;
        RtfConfig cfg = RtfConfig.builder(h, order, len).precision(Precision.F64).build();
        try (RtfLayer layer = new RtfLayer(cfg, be)) {
            double[] ab = new double[2 * h * order];
            System.arraycopy(g.real("params.a"), 0, ab, 0, h * order);
            System.arraycopy(g.real("params.b"), 0, ab, h * order, h * order);
            layer.ab().set(ab);
            layer.h0().set(g.real("params.h0"));
            RtfRecurrence rec = (RtfRecurrence) layer.recurrent(batch);
            Check.close("c", rec.numerator(), g.real("outputs.c"), Check.F64_VALUES);
            Check.close("c_solve", rec.numerator(), g.real("outputs.c_solve"), Check.F64_VALUES);
            Check.close("k0", rec.feedThrough(), g.real("outputs.k0"), Check.F64_VALUES);
            double[] u = g.real("inputs.u");
            double[] states = g.real("outputs.states"); // (B, H, L, N): state before step t
            double[] y = new double[u.length];
            double[] ut = new double[batch * h];
            double[] yt = new double[batch * h];
            double[] st = new double[batch * h * order];
            double[] stRef = new double[st.length];
            for (int t = 0; t < len; t++) {
                rec.getState(st);
                for (int i = 0; i < batch * h; i++) {
                    System.arraycopy(states, (i * len + t) * order, stRef, i * order, order);
                    ut[i] = u[i * len + t];
                }
                Check.close("state before step " + t, st, stRef, Check.F64_VALUES);
                rec.step(ut, yt);
                for (int i = 0; i < batch * h; i++) {
                    y[i * len + t] = yt[i];
                }
            }
            Check.close("y_rec", y, g.real("outputs.y_rec"), Check.F64_VALUES);
            Check.close("y_conv", layer.forward(u, batch, len), g.real("outputs.y_conv"), Check.F64_VALUES);
        }
    }

    @ParameterizedTest(name = "H={0} N={1} L={2}")
    @CsvSource({"2, 8, 10000", "3, 1, 10000", "2, 16, 17", "2, 4, 5", "1, 1, 2"})
    void stepsMatchTheConvolution(int h, int order, int len) {
        int batch = 2;
        RtfConfig cfg = RtfConfig.builder(h, order, len).init(RtfConfig.Init.MONTEL).precision(Precision.F64)
            .seed(order * 17L + len).build();
        SplittableRandom r = new SplittableRandom(len);
        double[] u = new double[batch * h * len];
        for (int i = 0; i < u.length; i++) {
            u[i] = r.nextDouble(-1, 1);
        }
        try (RtfLayer layer = new RtfLayer(cfg, be)) {
            // Montel init keeps sum|a| < 1: stable poles. Numerators of order one.
            double[] ab = layer.ab().value();
            for (int i = h * order; i < ab.length; i++) {
                ab[i] = r.nextDouble(-1, 1);
            }
            double[] yConv = layer.forward(u, batch, len);
            Recurrence rec = layer.recurrent(batch);
            double[] yRec = rec.run(u, len);
            Check.close("steps vs convolution over " + len + " steps", yRec, yConv, Check.F64_VALUES);
            rec.reset();
            Check.close("after reset", rec.run(u, len), yConv, Check.F64_VALUES);
        }
    }

    @Test
    void stateRoundTripContinuesTheSequence() {
        int h = 2;
        int order = 5;
        int len = 40;
        RtfConfig cfg = RtfConfig.builder(h, order, len).init(RtfConfig.Init.MONTEL).precision(Precision.F64).seed(3).build();
        try (RtfLayer layer = new RtfLayer(cfg, be)) {
            Recurrence a = layer.recurrent(1);
            Recurrence b = layer.recurrent(1);
            double[] ut = {0.5, -1.0};
            double[] ya = new double[2];
            double[] yb = new double[2];
            for (int t = 0; t < 13; t++) {
                ut[0] = Math.sin(t);
                a.step(ut, ya);
            }
            double[] state = new double[h * order];
            a.getState(state);
            b.setState(state);
            for (int t = 13; t < 30; t++) {
                ut[0] = Math.sin(t);
                a.step(ut, ya);
                b.step(ut, yb);
                assertArrayEquals(ya, yb, 0.0, "step " + t);
            }
        }
    }

    @Test
    void bidirectionalHasNoRecurrence() {
        RtfConfig cfg = RtfConfig.builder(2, 2, 8).bidirectional(true).precision(Precision.F64).build();
        try (RtfLayer layer = new RtfLayer(cfg, be)) {
            assertThrows(IllegalStateException.class, () -> layer.recurrent(1));
        }
    }
}
