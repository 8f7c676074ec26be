package org.rtf4j.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rtf4j.kernels.testing.OptimRuns.SIZES;
import static org.rtf4j.kernels.testing.OptimRuns.assertSame;
import static org.rtf4j.kernels.testing.OptimRuns.axpy;
import static org.rtf4j.kernels.testing.OptimRuns.biasAdd;
import static org.rtf4j.kernels.testing.OptimRuns.biasGrad;
import static org.rtf4j.kernels.testing.OptimRuns.gradients;
import static org.rtf4j.kernels.testing.OptimRuns.hyper;
import static org.rtf4j.kernels.testing.OptimRuns.reference;
import static org.rtf4j.kernels.testing.OptimRuns.run;
import static org.rtf4j.kernels.testing.OptimRuns.sumSquares;
import static org.rtf4j.kernels.testing.OptimRuns.tensors;
import static org.rtf4j.kernels.testing.OptimRuns.unit;
import static org.rtf4j.kernels.testing.OptimRuns.within;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.dense.AxpyShape;
import org.rtf4j.kernels.dense.BiasShape;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.kernels.testing.Host;
import org.rtf4j.kernels.testing.OpenClTesting;
import org.rtf4j.kernels.testing.WithBothBackends;
import org.rtf4j.kernels.testing.OptimReference;
import org.rtf4j.kernels.testing.OptimRuns.Reference;
import org.rtf4j.kernels.testing.OptimRuns.State;

/**
 * The device's optimiser kernels against the JVM's and the float64 references in both precisions: the bias add
 * bit for bit (one addition); AXPY bit for bit with α = 1 and within 3u·(|y| + |α·x|) otherwise (the device may
 * fuse); the bias gradient and the squared norms (up to 10⁶ elements) within the bounds {@code Backend} states of
 * the exact sums; a run of AdamW updates with clipping on several tensors (one with the SSM rate), in a flat and a
 * per-tensor layout, within twice the JVM's bound of the float64 host update and of the JVM; the same bits on a
 * second run; a non-finite gradient leaves the device state untouched and marks its slot; the work ran on the device.
 */
class OpenClOptimTest extends WithBothBackends {
    /** Backend.adamW's bound in units of u: the JVM's, doubled for the device. */
    static final double ADAMW_DEVICE = 2 * 16;




    static final List<BiasShape> SHAPES = List.of(new BiasShape(1, 1, 1), new BiasShape(3, 5, 17), new BiasShape(32, 8, 784),
        new BiasShape(2, 3, 8200), new BiasShape(2, 2, 16385), new BiasShape(4, 130, 1));

    @ParameterizedTest
    @EnumSource(Precision.class)
    void biasAddAndAxpyTwins(Precision p) {
        OpenClTesting.assumeFloat64(cl, p);
        long before = cl.profiler().kernelLaunches();
        long seed = 1;
        for (BiasShape s : SHAPES) {
            double[] y = Host.round(p, OptimReference.uniform(seed++, s.count(), -2, 2));
            double[] bias = Host.round(p, OptimReference.uniform(seed++, s.channels(), -1, 1));
            for (boolean acc : new boolean[] {true, false}) {
                assertArrayEquals(biasAdd(jvm, p, s, bias, y, acc), biasAdd(cl, p, s, bias, y, acc), p + " biasAdd " + s + " "
                    + acc);
            }
        }
        double worst = 0;
        for (int n : new int[] {1, 17, 4097, 100_003}) {
            for (int[] off : new int[][] {{0, 0}, {7, 2}}) {
                double[] x = Host.round(p, OptimReference.uniform(seed++, n + off[0], -1, 1));
                double[] y = Host.round(p, OptimReference.uniform(seed++, n + off[1], -1, 1));
                AxpyShape s = new AxpyShape(n, off[0], off[1]);
                assertArrayEquals(axpy(jvm, p, s, 1.0, x, y), axpy(cl, p, s, 1.0, x, y), p + " axpy α=1 n=" + n);
                double alpha = -0.37;
                double[] a = axpy(jvm, p, s, alpha, x, y);
                double[] d = axpy(cl, p, s, alpha, x, y);
                for (int i = 0; i < n; i++) {
                    double bound = 3 * unit(p) * (Math.abs(y[off[1] + i]) + Math.abs(alpha * x[off[0] + i]));
                    double err = Math.abs(a[off[1] + i] - d[off[1] + i]);
                    assertTrue(err <= bound, p + " axpy n=" + n + " element " + i + ": device " + d[off[1] + i] + ", JVM "
                        + a[off[1] + i]);
                    worst = Math.max(worst, err / bound);
                }
            }
        }
        System.out.printf("device axpy %s: worst error %.3f of the bound%n", p, worst);
        OpenClTesting.assertRanOnDevice(cl, before);
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void biasGradAndSumSquaresAreWithinTheirBoundsOfTheExactSums(Precision p) {
        OpenClTesting.assumeFloat64(cl, p);
        long before = cl.profiler().kernelLaunches();
        long seed = 100;
        double worstG = 0;
        int same = 0;
        int all = 0;
        for (BiasShape s : SHAPES) {
            double[] dy = Host.round(p, OptimReference.uniform(seed++, s.count(), -1, 1));
            double[] db0 = Host.round(p, OptimReference.uniform(seed++, s.channels(), -1, 1));
            double[] dev = biasGrad(cl, p, s, dy, db0);
            double[] host = biasGrad(jvm, p, s, dy, db0);
            int ell = s.length();
            for (int c = 0; c < s.channels(); c++) {
                double exact = db0[c];
                double mag = Math.abs(db0[c]);
                for (int b = 0; b < s.batch(); b++) {
                    int at = (b * s.channels() + c) * ell;
                    exact += OptimReference.exactSum(dy, at, at + ell, false);
                    mag += OptimReference.magnitude(dy, at, at + ell, false);
                }
                double bound = (40 + (ell + 8191) / 8192 + s.batch()) * unit(p) * mag;
                double err = Math.abs(dev[c] - exact);
                assertTrue(err <= bound, p + " biasGrad " + s + " channel " + c + ": device " + dev[c] + " vs " + exact);
                worstG = Math.max(worstG, err / bound);
                same += dev[c] == host[c] ? 1 : 0;
                all++;
            }
        }
        double worstS = 0;
        for (int n : new int[] {1, 257, 8193, 100_003, 1_000_000}) {
            int offset = n % 3;
            double[] x = Host.round(p, OptimReference.uniform(n + 7, offset + n, -1, 1));
            double[] dev = sumSquares(cl, p, x, offset, n);
            assertEquals(7, dev[0], "slot 0 untouched");
            assertEquals(7, dev[2], "slot 2 untouched");
            double exact = OptimReference.exactSum(x, offset, offset + n, true);
            double bound = (40 + (n + 8191) / 8192) * unit(p) * exact;
            double err = Math.abs(dev[1] - exact);
            assertTrue(err <= bound, p + " sumSquares n=" + n + ": device " + dev[1] + " vs " + exact);
            worstS = Math.max(worstS, err / bound);
            same += dev[1] == sumSquares(jvm, p, x, offset, n)[1] ? 1 : 0;
            all++;
        }
        System.out.printf("device biasGrad %s: worst %.4f of the bound; sumSquares worst %.4f; %d of %d sums the JVM's bits%n",
            p, worstG, worstS, same, all);
        OpenClTesting.assertRanOnDevice(cl, before);
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void adamWRunsFollowTheHostUpdateAndTheJvm(Precision p) {
        OpenClTesting.assumeFloat64(cl, p);
        long before = cl.profiler().kernelLaunches();
        double[][] p0 = tensors(5, p, 0.5);
        double[][][] g = gradients(200, p, 4);
        double[] maxNorms = {0, 1.0, 1e6, 0.5};
        Reference ref = reference(p0, g, maxNorms, hyper());
        State host = run(jvm, p, true, p0, g, maxNorms, hyper());
        State dev = run(cl, p, true, p0, g, maxNorms, hyper());
        assertSame(p + " device: flat vs one buffer per tensor", dev, run(cl, p, false, p0, g, maxNorms, hyper()));
        assertSame(p + " device: a second run", dev, run(cl, p, true, p0, g, maxNorms, hyper()));
        double bound = ADAMW_DEVICE * unit(p);
        double wp = within(p + " device parameters vs float64", dev.p(), ref.state().p(), ref.pScale(), bound);
        double wm = within(p + " device m vs float64", dev.m(), ref.state().m(), ref.mScale(), bound);
        double wv = within(p + " device v vs float64", dev.v(), ref.state().v(), ref.vScale(), bound);
        double jp = within(p + " device parameters vs JVM", dev.p(), host.p(), ref.pScale(), bound);
        within(p + " device m vs JVM", dev.m(), host.m(), ref.mScale(), bound);
        within(p + " device v vs JVM", dev.v(), host.v(), ref.vScale(), bound);
        System.out.printf("device adamW %s: worst %.3f (parameters), %.3f (m), %.3f (v) of the bound vs float64; %.3f vs JVM%n",
            p, wp, wm, wv, jp);
        OpenClTesting.assertRanOnDevice(cl, before);
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void aNonFiniteGradientChangesNothingOnTheDevice(Precision p) {
        OpenClTesting.assumeFloat64(cl, p);
        double[][] p0 = tensors(6, p, 0.5);
        double[][][] g = gradients(300, p, 2);
        double huge = p == Precision.F64 ? 1e200 : 1e20;
        for (double bad : new double[] {Double.NaN, Double.NEGATIVE_INFINITY, huge}) {
            int tensor = 3;
            State good = run(cl, p, true, p0, new double[][][] {g[0]}, new double[] {1.0}, hyper());
            double[][][] g2 = {g[0], OptimReference.copy(g[1])};
            g2[1][tensor][17] = bad;
            State after = run(cl, p, true, p0, g2, new double[] {1.0, 1.0}, hyper());
            assertSame(p + " device, gradient " + bad, good, after);
            double[] partials = after.partials().get(1);
            for (int t = 0; t < SIZES.length; t++) {
                assertEquals(t != tensor, Double.isFinite(partials[t]), p + " gradient " + bad + ": partial " + t);
            }
        }
    }
}
