package org.rtf4j.rtf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.testing.Check;
import org.rtf4j.kernels.testing.WithJvmBackend;
import org.rtf4j.layer.NumericalFailureException;

/**
 * Bad input gets an IllegalArgumentException naming the argument and the values; a computation that fails on
 * accepted input a NumericalFailureException saying where; legal odd cases work.
 */
class RtfBadInputTest extends WithJvmBackend {

    private static void refused(Executable e, String... fragments) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        for (String f : fragments) {
            assertTrue(ex.getMessage().contains(f), "message '" + ex.getMessage() + "' lacks '" + f + "'");
        }
    }

    @Test
    void configuration() {
        refused(() -> RtfConfig.builder(4, 64, 32).build(), "state size N must be < the length L = 32, got 64");
        refused(() -> RtfConfig.builder(4, 32, 32).build(), "state size N must be < the length L = 32, got 32");
        refused(() -> RtfConfig.builder(96, 4, 32).numA(5).build(), "numA must divide H = 96, got 5");
        refused(() -> RtfConfig.builder(0, 4, 32).build(), "channels H must be ≥ 1, got 0");
        refused(() -> RtfConfig.builder(4, 0, 32).build(), "state size N must be ≥ 1, got 0");
        refused(() -> RtfConfig.builder(4, 2, 32).minDenominator(-1).build(), "minDenominator must be in [0, 1), got -1");
    }

    @Test
    void shapesAndNonFiniteValues() {
        RtfConfig cfg = RtfConfig.builder(2, 2, 8).precision(Precision.F64).build();
        try (RtfLayer layer = new RtfLayer(cfg, be)) {
            refused(() -> layer.forward(new double[15], 1, 8, new double[16]), "u has 15 elements", "B*H*ell = 1*2*8 = 16");
            refused(() -> layer.forward(new double[18], 1, 9, new double[18]), "input length ℓ must be in [1, L = 8], got 9");
            refused(() -> layer.forward(new double[0], 1, 0, new double[0]), "input length ℓ must be in [1, L = 8], got 0");
            refused(() -> layer.forward(new double[16], 0, 8, new double[16]), "batch must be ≥ 1, got 0");
            double[] u = new double[16];
            u[5] = Double.NaN;
            refused(() -> layer.forward(u, 1, 8, new double[16]), "u has a non-finite value NaN at index 5");
            float[] uf = new float[16];
            uf[3] = Float.POSITIVE_INFINITY;
            refused(() -> layer.forward(uf, 1, 8, new float[16]), "u has a non-finite value Infinity at index 3");
            layer.ab().value()[2] = Double.NaN;
            refused(() -> layer.forward(new double[16], 1, 8, new double[16]), "parameter ab has a non-finite value NaN at index 2");
            layer.ab().value()[2] = 0;
            layer.h0().value()[1] = Double.NEGATIVE_INFINITY;
            refused(() -> layer.forward(new double[16], 1, 8, new double[16]), "parameter h_0", "index 1");
            layer.h0().value()[1] = 0;
            layer.forward(new double[16], 1, 8, new double[16]);
            refused(() -> layer.backward(new double[15], new double[16]), "gy has 15 elements");
            double[] gy = new double[16];
            gy[0] = Double.NaN;
            refused(() -> layer.backward(gy, new double[16]), "gy has a non-finite value NaN at index 0");
            refused(() -> layer.ab().set(new double[3]), "ab expects 8 values");
        }
        try (RtfLayer fresh = new RtfLayer(cfg, be)) {
            assertThrows(IllegalStateException.class, () -> fresh.backward(new double[16], new double[16]));
        }
    }

    @Test
    void denominatorOnTheUnitCircleIsANumericalFailureNamingRowChannelsBinAndValue() {
        // a(z) = 1 - z^-1 (row 1, channels 2..3) vanishes at z = 1, bin 0
        RtfConfig cfg = RtfConfig.builder(4, 1, 16).numA(2).precision(Precision.F64).build();
        try (RtfLayer layer = new RtfLayer(cfg, be)) {
            layer.ab().set(new double[] {0.5, -1.0, 1, 1, 1, 1});
            NumericalFailureException e = assertThrows(NumericalFailureException.class,
                () -> layer.forward(new double[64], 1, 16, new double[64]));
            for (String f : new String[] {"denominator forward row 1 (channels 2..3)", "at bin k=0 of P=16",
                "minDenominator=1.0e-10"}) {
                assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' lacks '" + f + "'");
            }
            assertEquals("denominator", e.quantity());
            assertEquals(0, e.direction());
            assertEquals(1, e.row());
            assertEquals(0, e.bin());
            assertTrue(e.value() >= 0 && e.value() < 1e-10, "magnitude " + e.value());
            assertNull(e.layer());
            // the float64 host computation of the recurrence checks the same denominators
            NumericalFailureException r = assertThrows(NumericalFailureException.class, () -> layer.recurrent(1));
            assertEquals(1, r.row());
        }
        // the backward direction of a two-sided layer, near (not on) the unit circle: a(z) = 1 - (1 - 1e-12) z^-1
        RtfConfig bi = RtfConfig.builder(1, 1, 16).bidirectional(true).precision(Precision.F64).build();
        try (RtfLayer layer = new RtfLayer(bi, be)) {
            layer.ab().set(new double[] {0.5, -(1 - 1e-12), 1, 1});
            NumericalFailureException e = assertThrows(NumericalFailureException.class,
                () -> layer.forward(new double[16], 1, 16, new double[16]));
            assertTrue(e.getMessage().startsWith("denominator backward row 0"), e.getMessage());
            assertEquals(1, e.direction());
        }
        // just inside the threshold is legal with a looser setting
        RtfConfig loose = RtfConfig.builder(1, 1, 16).precision(Precision.F64).minDenominator(0).build();
        try (RtfLayer layer = new RtfLayer(loose, be)) {
            layer.ab().set(new double[] {-0.999, 1});
            double[] y = layer.forward(new double[16], 1, 16);
            assertEquals(0.0, y[3], 0.0);
        }
    }

    @Test
    void aComputedOverflowIsANumericalFailureNotBadInput() {
        // finite input and parameters whose float32 output overflows: y_0 = h0 * u_0 = 1e3 * 1e36
        RtfConfig cfg = RtfConfig.builder(1, 1, 8).precision(Precision.F32).build();
        try (RtfLayer layer = new RtfLayer(cfg, be)) {
            layer.ab().set(new double[] {0, 0});
            layer.h0().set(new double[] {1e3});
            float[] u = new float[8];
            u[0] = 1e36f;
            NumericalFailureException e = assertThrows(NumericalFailureException.class,
                () -> layer.forward(u, 1, 8, new float[8]));
            assertEquals("output y", e.quantity());
            assertTrue(e.index() >= 0 && !Double.isFinite(e.value()), e.index() + ": " + e.value());
            assertTrue(e.getMessage().startsWith("output y overflowed to "), e.getMessage());
        }
        // finite output and output gradient whose parameter gradient overflows in float32:
        // dL/dh0 = sum_t gy_t u_t = 8 * 1e20 * 1e20
        try (RtfLayer layer = new RtfLayer(cfg, be)) {
            layer.ab().set(new double[] {0, 0});
            layer.h0().set(new double[] {1e-3});
            float[] u = new float[8];
            java.util.Arrays.fill(u, 1e20f);
            layer.forward(u, 1, 8, new float[8]);
            NumericalFailureException e = assertThrows(NumericalFailureException.class,
                () -> layer.backward(u, new float[8]));
            assertTrue(e.quantity().startsWith("gradient of "), e.quantity());
            assertTrue(e.getMessage().contains("has a non-finite value"), e.getMessage());
        }
    }

    @Test
    void polesOutsideTheUnitCircleAreLegal() {
        // a(z) = 1 - 2 z^-1: pole at 2. The periodised kernel is still well defined; compare to naive DFT.
        int len = 12;
        RtfConfig cfg = RtfConfig.builder(1, 1, len).precision(Precision.F64).build();
        try (RtfLayer layer = new RtfLayer(cfg, be)) {
            layer.ab().set(new double[] {-2.0, 1.0});
            layer.h0().set(new double[] {0.25});
            double[] k = RtfReference.kernel(new double[] {-2.0}, 0, new double[] {1.0}, 0, 0.25, 1, len, len);
            Check.close("kernel with a pole at 2", layer.kernel(0, len), k, Check.F64_VALUES);
            double[] u = new double[len];
            u[0] = 1;
            Check.close("impulse response", layer.forward(u, 1, len), k, Check.F64_VALUES);
        }
    }
}
