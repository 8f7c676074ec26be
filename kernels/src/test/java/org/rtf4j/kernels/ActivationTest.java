package org.rtf4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.dense.ActivationShape;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.kernels.testing.ActivationReference;
import org.rtf4j.kernels.testing.Check;
import org.rtf4j.kernels.testing.Host;
import org.rtf4j.kernels.testing.WithJvmBackend;

/**
 * The JVM activation kernels against the textbook float64 formulas ({@link ActivationReference}) within the
 * bounds {@code Backend.gelu}, {@code geluBackward}, {@code glu} and {@code gluBackward} state: GELU within
 * 4·2⁻⁵²·|x| (backward 4·2⁻⁵²·|dy|·m(x)) in float64 and 8·2⁻²⁴·|x| (8·2⁻²⁴·|dy|·m(x)) in float32; GLU bit
 * for bit in float64 and within 8·2⁻²⁴ of |a|, |dy|, |dy·a| in float32 (a scan of 4·10⁶ inputs measured at most
 * 2.0, 1.4, 2.4, 2.1 and 2.4 of those units). Sizes 1, 3, 17, 1000 and several work
 * units, |x| up to 40, NaN propagated; the same bits on 1, 2 and 3 threads; in-place GELU; arguments refused in
 * one line.
 */
class ActivationTest extends WithJvmBackend {
    static final double EPS64 = 0x1p-52;
    static final double EPS32 = 2 * Check.EPS32;
    /** The stated bounds, in units of the precision's ε (2⁻⁵², 2⁻²³ / 2). */
    static final double GELU_F64 = 4;
    static final double GELU_BACKWARD_F64 = 4;
    static final double GELU_F32 = 8;
    static final double GELU_BACKWARD_F32 = 8;
    static final double GLU_F32 = 8;

    /** ε of the bounds: 2⁻⁵² for float64, 2⁻²⁴ for float32 (as stated in the javadoc). */
    static double unit(Precision p) {
        return p == Precision.F64 ? EPS64 : Check.EPS32;
    }

    static double geluBound(Precision p) {
        return (p == Precision.F64 ? GELU_F64 : GELU_F32) * unit(p);
    }

    static double geluBackwardBound(Precision p) {
        return (p == Precision.F64 ? GELU_BACKWARD_F64 : GELU_BACKWARD_F32) * unit(p);
    }

    static double gluBound(Precision p) {
        return p == Precision.F64 ? 0 : GLU_F32 * unit(p);
    }

    /** y = gelu(x) on {@code be}, out of place. */
    static double[] gelu(Backend be, Precision p, double[] x) {
        try (DeviceBuffer bx = Host.put(be, p, x); DeviceBuffer by = be.allocate(p, x.length)) {
            be.gelu(ActivationShape.elements(x.length), bx, by);
            return Host.get(be, by);
        }
    }

    static double[] geluBackward(Backend be, Precision p, double[] x, double[] dy) {
        try (DeviceBuffer bx = Host.put(be, p, x); DeviceBuffer bg = Host.put(be, p, dy);
             DeviceBuffer bd = be.allocate(p, x.length)) {
            be.geluBackward(ActivationShape.elements(x.length), bx, bg, bd);
            return Host.get(be, bd);
        }
    }

    static double[] glu(Backend be, Precision p, ActivationShape s, double[] x) {
        try (DeviceBuffer bx = Host.put(be, p, x); DeviceBuffer by = be.allocate(p, s.gluOutputCount())) {
            be.glu(s, bx, by);
            return Host.get(be, by);
        }
    }

    static double[] gluBackward(Backend be, Precision p, ActivationShape s, double[] x, double[] dy) {
        try (DeviceBuffer bx = Host.put(be, p, x); DeviceBuffer bg = Host.put(be, p, dy);
             DeviceBuffer bd = be.allocate(p, s.count())) {
            be.gluBackward(s, bx, bg, bd);
            return Host.get(be, bd);
        }
    }

    /** Asserts |got − ref| ≤ bound·scale per element (NaN only where ref is NaN); returns the worst ratio. */
    static double within(String what, double[] got, double[] ref, double[] scale, double bound) {
        double worst = 0;
        for (int i = 0; i < ref.length; i++) {
            if (Double.isNaN(ref[i])) {
                assertTrue(Double.isNaN(got[i]), what + " element " + i + ": " + got[i] + ", expected NaN");
                continue;
            }
            double err = Math.abs(got[i] - ref[i]);
            assertTrue(err <= bound * scale[i], what + " element " + i + ": " + got[i] + " vs " + ref[i] + ", error " + err
                + " > bound " + bound * scale[i]);
            if (err > 0) {
                worst = Math.max(worst, err / (bound * scale[i]));
            }
        }
        return worst;
    }

    static double[] abs(double[] x) {
        double[] m = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            m[i] = Math.abs(x[i]);
        }
        return m;
    }

    static double[] geluBackwardScale(double[] x, double[] dy) {
        double[] m = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            m[i] = Math.abs(dy[i]) * ActivationReference.geluDerivativeScale(x[i]);
        }
        return m;
    }

    static double[] geluRef(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = ActivationReference.gelu(x[i]);
        }
        return y;
    }

    static double[] geluBackwardRef(double[] x, double[] dy) {
        double[] dx = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            dx[i] = dy[i] * ActivationReference.geluDerivative(x[i]);
        }
        return dx;
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void geluIsWithinItsBoundOfTheTextbookFormAndTheSameOnAnyThreadCount(Precision p) {
        try (JvmBackend one = JvmBackend.withThreads(1); JvmBackend three = JvmBackend.withThreads(3)) {
            double worstF = 0;
            double worstB = 0;
            long seed = 1;
            for (int n : ActivationReference.COUNTS) {
                double[] x = Host.round(p, ActivationReference.inputs(seed++, n));
                double[] dy = Host.round(p, ActivationReference.gradients(seed++, n));
                double[] y = gelu(be, p, x);
                double[] dx = geluBackward(be, p, x, dy);
                worstF = Math.max(worstF, within(p + " gelu n=" + n, y, geluRef(x), abs(x), geluBound(p)));
                worstB = Math.max(worstB, within(p + " geluBackward n=" + n, dx, geluBackwardRef(x, dy),
                    geluBackwardScale(x, dy), geluBackwardBound(p)));
                for (Backend other : new Backend[] {one, three}) {
                    assertArrayEquals(y, gelu(other, p, x), p + " gelu n=" + n + " on " + other.hostWorkers() + " thread(s)");
                    assertArrayEquals(dx, geluBackward(other, p, x, dy), p + " geluBackward n=" + n + " on "
                        + other.hostWorkers() + " thread(s)");
                }
            }
            System.out.printf("gelu %s: worst error %.3f of the bound forward, %.3f backward%n", p, worstF, worstB);
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void geluAtLargeInputsIsTheIdentityOrZeroAndItsSlopeOneOrZero(Precision p) {
        double[] x = {40, -40, 25, -25, 1e6, -1e6};
        double[] y = gelu(be, p, x);
        double[] d = geluBackward(be, p, x, new double[] {1, 1, 1, 1, 1, 1});
        for (int i = 0; i < x.length; i++) {
            double expected = x[i] > 0 ? x[i] : 0;
            assertTrue(Math.abs(y[i] - expected) <= geluBound(p) * Math.abs(x[i]), p + " gelu(" + x[i] + ") = " + y[i]);
            assertEquals(x[i] > 0 ? 1 : 0, d[i], 1e-300, p + " gelu'(" + x[i] + ")");
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void geluPropagatesNaN(Precision p) {
        double[] x = {1, Double.NaN, -2, 0.5, Double.NaN};
        double[] dy = {Double.NaN, 1, 1, 1, 1};
        double[] y = gelu(be, p, x);
        double[] dx = geluBackward(be, p, x, dy);
        boolean[] nanY = {false, true, false, false, true};
        boolean[] nanDx = {true, true, false, false, true};
        for (int i = 0; i < x.length; i++) {
            assertEquals(nanY[i], Double.isNaN(y[i]), p + " gelu element " + i + ": " + y[i]);
            assertEquals(nanDx[i], Double.isNaN(dx[i]), p + " geluBackward element " + i + ": " + dx[i]);
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void geluWorksInPlace(Precision p) {
        int n = 1000;
        double[] x = Host.round(p, ActivationReference.inputs(9, n));
        double[] dy = Host.round(p, ActivationReference.gradients(10, n));
        double[] y = gelu(be, p, x);
        double[] dx = geluBackward(be, p, x, dy);
        ActivationShape s = ActivationShape.elements(n);
        try (DeviceBuffer bx = Host.put(be, p, x); DeviceBuffer bg = Host.put(be, p, dy)) {
            be.geluBackward(s, bx, bg, bg);
            assertArrayEquals(dx, Host.get(be, bg), "geluBackward into dy");
            be.gelu(s, bx, bx);
            assertArrayEquals(y, Host.get(be, bx), "gelu into x");
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void gluIsTheHostFormulasAndTheSameOnAnyThreadCount(Precision p) {
        try (JvmBackend one = JvmBackend.withThreads(1); JvmBackend three = JvmBackend.withThreads(3)) {
            long seed = 100;
            double worstF = 0;
            double worstB = 0;
            for (ActivationShape s : ActivationReference.gluShapes()) {
                double[] x = Host.round(p, ActivationReference.inputs(seed++, s.count()));
                double[] dy = Host.round(p, ActivationReference.gradients(seed++, s.gluOutputCount()));
                double[] y = glu(be, p, s, x);
                double[] dx = gluBackward(be, p, s, x, dy);
                double[] yRef = ActivationReference.glu(s, x);
                double[] dxRef = ActivationReference.gluBackward(s, x, dy);
                if (p == Precision.F64) {
                    assertArrayEquals(yRef, y, "glu " + s);
                    assertArrayEquals(dxRef, dx, "gluBackward " + s);
                } else {
                    worstF = Math.max(worstF, within(p + " glu " + s, y, yRef, ActivationReference.gluForwardScale(s, x),
                        gluBound(p)));
                    worstB = Math.max(worstB, within(p + " gluBackward " + s, dx, dxRef,
                        ActivationReference.gluBackwardScale(s, x, dy), gluBound(p)));
                }
                for (Backend other : new Backend[] {one, three}) {
                    assertArrayEquals(y, glu(other, p, s, x), p + " glu " + s + " on " + other.hostWorkers());
                    assertArrayEquals(dx, gluBackward(other, p, s, x, dy), p + " gluBackward " + s + " on "
                        + other.hostWorkers());
                }
            }
            System.out.printf("glu %s: worst error %.3f of the bound forward, %.3f backward%n", p, worstF, worstB);
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void gluPropagatesNaN(Precision p) {
        ActivationShape s = new ActivationShape(1, 2, 3);
        double[] x = {Double.NaN, 1, 2, 0.5, Double.NaN, -1};
        double[] dy = {1, 1, Double.NaN};
        double[] y = glu(be, p, s, x);
        double[] dx = gluBackward(be, p, s, x, dy);
        assertTrue(Double.isNaN(y[0]) && Double.isNaN(y[1]) && !Double.isNaN(y[2]), p + " glu " + java.util.Arrays.toString(y));
        // dx_a = dy·σ(g): NaN where g or dy is; dx_g = dy·a·σ'(g): NaN where a, g or dy is
        boolean[] nan = {false, true, true, true, true, true};
        for (int i = 0; i < nan.length; i++) {
            assertEquals(nan[i], Double.isNaN(dx[i]), p + " gluBackward element " + i + ": " + java.util.Arrays.toString(dx));
        }
    }

    @Test
    void badArgumentsAreRefusedInOneLine() {
        try (DeviceBuffer small = be.allocate(Precision.F64, 5); DeviceBuffer big = be.allocate(Precision.F64, 100);
             DeviceBuffer big2 = be.allocate(Precision.F64, 100); DeviceBuffer f32 = be.allocate(Precision.F32, 100)) {
            ActivationShape s = new ActivationShape(2, 4, 3);
            assertMessage("y has 5 elements, expected at least 24", () -> be.gelu(s, big, small));
            assertMessage("dy has 5 elements, expected at least 24", () -> be.geluBackward(s, big, small, big2));
            assertMessage("y is F32, expected F64", () -> be.gelu(s, big, f32));
            assertMessage("shape must not be null", () -> be.gelu(null, big, big2));
            assertMessage("x must not be null", () -> be.glu(s, null, big2));
            assertMessage("GLU channels must be even, got 3", () -> be.glu(new ActivationShape(1, 3, 4), big, big2));
            assertMessage("GLU channels must be even, got 5", () -> be.gluBackward(new ActivationShape(1, 5, 4), big, big2,
                small));
            assertMessage("y must be a buffer other than x", () -> be.glu(s, big, big));
            assertMessage("dx must be a buffer other than x", () -> be.gluBackward(s, big, big2, big));
            assertMessage("dx must be a buffer other than dy", () -> be.gluBackward(s, big, big2, big2));
            assertMessage("dy has 5 elements, expected at least 12", () -> be.gluBackward(s, big, small, big2));
            assertMessage("activation length must be ≥ 1, got 0", () -> new ActivationShape(1, 2, 0));
            assertMessage("activation count must be ≥ 1, got 0", () -> ActivationShape.elements(0));
            assertMessage("activation batch·channels·length must be ≤ 2147483647, got 4294967296",
                () -> new ActivationShape(65536, 256, 256));
        }
    }

    private static void assertMessage(String start, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(start), "message: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }
}
