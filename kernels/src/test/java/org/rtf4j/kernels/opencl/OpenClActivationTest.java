package org.rtf4j.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.rtf4j.kernels.testing.OpenClTesting;
import org.rtf4j.kernels.testing.WithBothBackends;

/**
 * The device's GELU, GLU and their backwards against the JVM's in both precisions, on the cases of
 * {@code ActivationTest} (sizes 1 to 12293, |x| up to 40): each element within twice the JVM's bound of the
 * JVM's value, relative to the same scales (GELU |x| and |dy|·m(x), GLU |a|, |dy|, |dy·a|; float64 GLU, bit for bit
 * the formulas on the JVM, within 8·2⁻⁵², as the device's exp and division need not be the JVM's), and the work
 * ran on the device.
 */
class OpenClActivationTest extends WithBothBackends {
    static final double EPS64 = 0x1p-52;



    private static double unit(Precision p) {
        return p == Precision.F64 ? EPS64 : Check.EPS32;
    }

    /** The JVM's bounds of Backend's javadoc, in units of {@link #unit}. */
    private static double geluBound(Precision p) {
        return p == Precision.F64 ? 4 : 8;
    }

    private static double geluBackwardBound(Precision p) {
        return p == Precision.F64 ? 4 : 8;
    }

    private static double gluBound(Precision p) {
        return p == Precision.F64 ? 4 : 8;
    }

    /** A kernel call on backend buffers. */
    private interface Call {
        void run(Backend be, DeviceBuffer x, DeviceBuffer dy, DeviceBuffer out);
    }

    private static double[] run(Backend be, Precision p, double[] x, double[] dy, int outLength, Call call) {
        try (DeviceBuffer bx = Host.put(be, p, x); DeviceBuffer bg = Host.put(be, p, dy);
             DeviceBuffer out = be.allocate(p, outLength)) {
            call.run(be, bx, bg, out);
            return Host.get(be, out);
        }
    }

    private static double twin(String what, double[] dev, double[] jvm, double[] scale, double bound) {
        double worst = 0;
        for (int i = 0; i < jvm.length; i++) {
            double err = Math.abs(dev[i] - jvm[i]);
            assertTrue(err <= bound * scale[i], what + " element " + i + ": device " + dev[i] + ", JVM " + jvm[i] + ", bound "
                + bound * scale[i]);
            if (err > 0) {
                worst = Math.max(worst, err / (bound * scale[i]));
            }
        }
        return worst;
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void geluTwins(Precision p) {
        OpenClTesting.assumeFloat64(cl, p);
        long before = cl.profiler().kernelLaunches();
        double worstF = 0;
        double worstB = 0;
        long seed = 3;
        for (int n : ActivationReference.COUNTS) {
            ActivationShape s = ActivationShape.elements(n);
            double[] x = Host.round(p, ActivationReference.inputs(seed++, n));
            double[] dy = Host.round(p, ActivationReference.gradients(seed++, n));
            Call fwd = (b, bx, bg, out) -> b.gelu(s, bx, out);
            Call bwd = (b, bx, bg, out) -> b.geluBackward(s, bx, bg, out);
            double[] scaleF = new double[n];
            double[] scaleB = new double[n];
            for (int i = 0; i < n; i++) {
                scaleF[i] = Math.abs(x[i]);
                scaleB[i] = Math.abs(dy[i]) * ActivationReference.geluDerivativeScale(x[i]);
            }
            worstF = Math.max(worstF, twin(p + " gelu n=" + n, run(cl, p, x, dy, n, fwd), run(jvm, p, x, dy, n, fwd), scaleF,
                2 * geluBound(p) * unit(p)));
            worstB = Math.max(worstB, twin(p + " geluBackward n=" + n, run(cl, p, x, dy, n, bwd), run(jvm, p, x, dy, n, bwd),
                scaleB, 2 * geluBackwardBound(p) * unit(p)));
        }
        System.out.printf("device gelu %s: worst error %.3f of the bound forward, %.3f backward%n", p, worstF, worstB);
        OpenClTesting.assertRanOnDevice(cl, before);
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void gluTwins(Precision p) {
        OpenClTesting.assumeFloat64(cl, p);
        long before = cl.profiler().kernelLaunches();
        double worstF = 0;
        double worstB = 0;
        long seed = 30;
        for (ActivationShape s : ActivationReference.gluShapes()) {
            double[] x = Host.round(p, ActivationReference.inputs(seed++, s.count()));
            double[] dy = Host.round(p, ActivationReference.gradients(seed++, s.gluOutputCount()));
            Call fwd = (b, bx, bg, out) -> b.glu(s, bx, out);
            Call bwd = (b, bx, bg, out) -> b.gluBackward(s, bx, bg, out);
            worstF = Math.max(worstF, twin(p + " glu " + s, run(cl, p, x, dy, s.gluOutputCount(), fwd),
                run(jvm, p, x, dy, s.gluOutputCount(), fwd), ActivationReference.gluForwardScale(s, x),
                2 * gluBound(p) * unit(p)));
            worstB = Math.max(worstB, twin(p + " gluBackward " + s, run(cl, p, x, dy, s.count(), bwd),
                run(jvm, p, x, dy, s.count(), bwd), ActivationReference.gluBackwardScale(s, x, dy), 2 * gluBound(p) * unit(p)));
        }
        System.out.printf("device glu %s: worst error %.3f of the bound forward, %.3f backward%n", p, worstF, worstB);
        OpenClTesting.assertRanOnDevice(cl, before);
    }
}
