package org.rtf4j.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.IndexBuffer;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.dense.EmbeddingShape;
import org.rtf4j.kernels.dense.LossShape;
import org.rtf4j.kernels.dense.PoolShape;
import org.rtf4j.kernels.dense.TokenGroups;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.kernels.testing.EndsReference;
import org.rtf4j.kernels.testing.Host;
import org.rtf4j.kernels.testing.OpenClTesting;
import org.rtf4j.kernels.testing.WithBothBackends;

/**
 * The device's embedding, pooling and losses against the JVM's in both precisions, with the bounds of the
 * {@code Backend} contracts: the gather and the scatter-add bit for bit (additions only, in the same order); LAST
 * pooling exactly and MEAN within 4·u·|y| (the same pairwise sum, a division the device need not round
 * correctly); the losses' gradients and sums within twice the JVM's bounds of the JVM's, the counts equal; invalid
 * tokens, groupings, lengths and targets give NaN at the same places; and the work ran on the device.
 */
class OpenClEndsTest extends WithBothBackends {



    private static double unit(Precision p) {
        return p == Precision.F64 ? 0x1p-53 : 0x1p-24;
    }

    private static IndexBuffer indices(Backend be, int[] v) {
        IndexBuffer b = be.allocateIndices(v.length);
        be.writeIndices(b, 0, v, 0, v.length);
        return b;
    }

    /** Same NaNs, and elsewhere |dev − jvm| ≤ bound·|jvm| + abs. */
    private static void twin(String what, double[] dev, double[] jvm, double rel, double abs) {
        assertEquals(jvm.length, dev.length, what);
        for (int i = 0; i < jvm.length; i++) {
            if (Double.isNaN(jvm[i])) {
                assertTrue(Double.isNaN(dev[i]), what + " element " + i + ": device " + dev[i] + ", JVM NaN");
                continue;
            }
            double err = Math.abs(dev[i] - jvm[i]);
            assertTrue(err <= rel * Math.abs(jvm[i]) + abs, what + " element " + i + ": device " + dev[i] + ", JVM " + jvm[i]
                + ", bound " + (rel * Math.abs(jvm[i]) + abs));
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void embeddingTwins(Precision p) {
        OpenClTesting.assumeFloat64(cl, p);
        long before = cl.profiler().kernelLaunches();
        long seed = 1;
        for (EmbeddingShape s : List.of(new EmbeddingShape(1, 1, 1, 1), new EmbeddingShape(3, 5, 4, 6),
            new EmbeddingShape(4, 333, 11, 17), new EmbeddingShape(2, 50, 300, 8))) {
            int[] tokens = EndsReference.ints(seed++, s.positions(), 0, Math.min(7, s.vocabulary()));
            tokens[0] = s.vocabulary();   // outside: NaN
            double[] table = EndsReference.uniform(seed++, s.tableCount(), 1);
            double[] dy = EndsReference.uniform(seed++, s.outputCount(), 1);
            double[] g0 = EndsReference.uniform(seed++, s.tableCount(), 1);
            int[] good = tokens.clone();
            good[0] = 0;
            TokenGroups g = TokenGroups.of(good, s.vocabulary());
            int[] order = g.order().clone();
            if (order.length > 3) {
                order[order.length - 1] = -3;   // a NaN row
            }
            double[][] out = new double[2][];
            double[][] grads = new double[2][];
            Backend[] bes = {cl, jvm};
            for (int k = 0; k < 2; k++) {
                Backend be = bes[k];
                try (IndexBuffer tk = indices(be, tokens); IndexBuffer o = indices(be, order);
                     IndexBuffer st = indices(be, g.starts()); DeviceBuffer tb = Host.put(be, p, table);
                     DeviceBuffer y = be.allocate(p, s.outputCount()); DeviceBuffer d = Host.put(be, p, dy);
                     DeviceBuffer gt = Host.put(be, p, g0)) {
                    be.embedding(s, tk, tb, y);
                    be.embeddingBackward(s, o, st, d, gt);
                    out[k] = Host.get(be, y);
                    grads[k] = Host.get(be, gt);
                }
            }
            assertArrayEquals(out[1], out[0], p + " embedding " + s);
            assertArrayEquals(grads[1], grads[0], p + " embeddingBackward " + s);
            assertTrue(Double.isNaN(out[0][0]), p + " embedding of a token outside the vocabulary");
        }
        OpenClTesting.assertRanOnDevice(cl, before);
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void poolTwins(Precision p) {
        OpenClTesting.assumeFloat64(cl, p);
        long before = cl.profiler().kernelLaunches();
        long seed = 10;
        int[][] bcl = {{1, 1, 1}, {3, 2, 5}, {4, 7, 333}, {2, 3, 1500}, {1, 1, 1 << 17}};
        for (PoolShape.Mode m : PoolShape.Mode.values()) {
            for (int[] d : bcl) {
                PoolShape s = new PoolShape(d[0], d[1], d[2], m);
                int[] lengths = EndsReference.lengths(seed++, s.batch(), s.length());
                if (s.batch() > 2) {
                    lengths[2] = 0;   // invalid: NaN
                }
                double[] x = EndsReference.uniform(seed++, s.inputCount(), 1);
                double[] dy = EndsReference.uniform(seed++, s.outputCount(), 1);
                double[][] y = new double[2][];
                double[][] dx = new double[2][];
                Backend[] bes = {cl, jvm};
                for (int k = 0; k < 2; k++) {
                    Backend be = bes[k];
                    try (IndexBuffer n = indices(be, lengths); DeviceBuffer bx = Host.put(be, p, x);
                         DeviceBuffer by = be.allocate(p, s.outputCount()); DeviceBuffer bg = Host.put(be, p, dy);
                         DeviceBuffer bd = be.allocate(p, s.inputCount())) {
                        be.pool(s, n, bx, by);
                        be.poolBackward(s, n, bg, bd);
                        y[k] = Host.get(be, by);
                        dx[k] = Host.get(be, bd);
                    }
                }
                double rel = m == PoolShape.Mode.MEAN ? 4 * unit(p) : 0;
                twin(p + " pool " + s, y[0], y[1], rel, 0);
                twin(p + " poolBackward " + s, dx[0], dx[1], rel, 0);
            }
        }
        OpenClTesting.assertRanOnDevice(cl, before);
    }

    /** Gradient and scalars of a loss call on one backend. */
    private interface LossCall {
        void run(Backend be, DeviceBuffer out, DeviceBuffer target, IndexBuffer ints, DeviceBuffer grad, DeviceBuffer scalars);
    }

    private static double[][] loss(Backend be, Precision p, LossShape s, double[] out, double[] target, int[] ints,
                                   LossCall call) {
        try (DeviceBuffer bo = Host.put(be, p, out); DeviceBuffer bt = Host.put(be, p, target);
             IndexBuffer bi = indices(be, ints); DeviceBuffer g = be.allocate(p, s.count());
             DeviceBuffer sc = be.allocate(p, 2 + LossShape.SCALARS)) {
            call.run(be, bo, bt, bi, g, sc);
            return new double[][] {Host.get(be, g), Host.get(be, sc)};
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void crossEntropyTwins(Precision p) {
        OpenClTesting.assumeFloat64(cl, p);
        long before = cl.profiler().kernelLaunches();
        long seed = 30;
        for (LossShape s : List.of(new LossShape(1, 1, 1), new LossShape(5, 10, 1), new LossShape(3000, 3, 1),
            new LossShape(2, 3, 17), new LossShape(4, 5, 1100))) {
            for (double a : new double[] {5, 1000}) {
                double[] z = EndsReference.uniform(seed++, s.count(), a);
                int[] t = EndsReference.ints(seed++, s.positions(), -1, s.outputs());
                double scale = 1.0 / s.positions();
                LossCall call = (be, bo, bt, bi, g, sc) -> be.crossEntropy(s, bo, bi, scale, g, sc, 2);
                double[][] dev = loss(cl, p, s, z, z, t, call);
                double[][] ref = loss(jvm, p, s, z, z, t, call);
                String what = p + " crossEntropy " + s + " |z| ≤ " + a;
                twin(what + " grad", dev[0], ref[0], 0, 2 * (2.0 * s.outputs() + 8) * unit(p) * scale);
                double terms = ref[1][2 + LossShape.COUNT] + Math.abs(ref[1][2 + LossShape.LOSS_SUM]);
                double bound = 2 * (2.0 * s.outputs() + LossShape.BLOCK + EndsReference.log2(s.positions()) + 4) * unit(p) * terms;
                assertEquals(ref[1][2], dev[1][2], bound, what + " loss sum");
                for (int j = 1; j < LossShape.SCALARS; j++) {
                    assertEquals(ref[1][2 + j], dev[1][2 + j], 0.0, what + " scalar " + j);
                }
                assertEquals(0, dev[1][0], 0.0, what + ": before the offset");
            }
        }
        LossShape s = new LossShape(1, 3, 4);
        LossCall call = (be, bo, bt, bi, g, sc) -> be.crossEntropy(s, bo, bi, 0.5, g, sc, 0);
        double[] z = EndsReference.uniform(1, 12, 1);
        double[][] dev = loss(cl, p, s, z, z, new int[] {0, 3, -1, 7}, call);
        double[][] ref = loss(jvm, p, s, z, z, new int[] {0, 3, -1, 7}, call);
        twin(p + " invalid targets", dev[0], ref[0], 0, 1e-6);
        assertTrue(Double.isNaN(dev[1][LossShape.LOSS_SUM]) && dev[1][LossShape.INVALID] == 2, java.util.Arrays.toString(dev[1]));
        OpenClTesting.assertRanOnDevice(cl, before);
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void mseTwins(Precision p) {
        OpenClTesting.assumeFloat64(cl, p);
        long before = cl.profiler().kernelLaunches();
        long seed = 50;
        for (LossShape s : List.of(new LossShape(1, 1, 1), new LossShape(3, 4, 5), new LossShape(4, 3, 700),
            new LossShape(2, 2, 3000))) {
            int[] lengths = EndsReference.lengths(seed++, s.batch(), s.length());
            if (s.batch() > 2) {
                lengths[2] = s.length() + 1;   // invalid: NaN
            }
            double[] y = EndsReference.uniform(seed++, s.count(), 2);
            double[] target = EndsReference.uniform(seed++, s.count(), 2);
            double scale = 1.0 / s.count();
            LossCall call = (be, bo, bt, bi, g, sc) -> be.mse(s, bo, bt, bi, scale, g, sc, 2);
            double[][] dev = loss(cl, p, s, y, target, lengths, call);
            double[][] ref = loss(jvm, p, s, y, target, lengths, call);
            String what = p + " mse " + s;
            twin(what + " grad", dev[0], ref[0], 8 * unit(p), 0);
            double bound = 2 * (LossShape.BLOCK + EndsReference.log2(s.count()) + 3) * unit(p) * Math.abs(ref[1][2]);
            if (Double.isNaN(ref[1][2])) {
                assertTrue(Double.isNaN(dev[1][2]), what + " loss sum NaN");
            } else {
                assertEquals(ref[1][2], dev[1][2], bound, what + " loss sum");
            }
            for (int j = 1; j < LossShape.SCALARS; j++) {
                assertEquals(ref[1][2 + j], dev[1][2 + j], 0.0, what + " scalar " + j);
            }
        }
        OpenClTesting.assertRanOnDevice(cl, before);
    }
}
