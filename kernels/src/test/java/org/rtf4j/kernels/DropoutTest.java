package org.rtf4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.dense.DropoutShape;
import org.rtf4j.kernels.dense.Philox;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.kernels.testing.Host;
import org.rtf4j.kernels.testing.NormReference;
import org.rtf4j.kernels.testing.NormRuns;
import org.rtf4j.kernels.testing.WithJvmBackend;

/**
 * Dropout on the JVM: {@link Philox} against Random123's published known answers; the kernel's mask is
 * {@link DropoutShape#keeps}'s, the same in float32 and float64 and on 1, 2 and 3 threads; outputs are exactly
 * x·scale or x·0; the backward applies the same mask; the keep fraction and the agreement of neighbouring
 * decisions are what independent draws give (a six-sigma bound that a constant, repeated or shifted mask
 * fails); tied masks are constant over t; another seed, step or layer draws another mask; p = 0 is the identity.
 */
class DropoutTest extends WithJvmBackend {

    /** Random123 tests/kat_vectors, the three "philox4x32 10" lines: counter (4 words), key (2), result (4). */
    static final int[][] KAT = {
        {0, 0, 0, 0, 0, 0, 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
        {-1, -1, -1, -1, -1, -1, 0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
        {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, 0xd16cfe09, 0x94fdcceb, 0x5001e420,
            0x24126ea1}};

    @Test
    void philoxGivesRandom123sKnownAnswers() {
        for (int[] v : KAT) {
            int[] out = new int[4];
            Philox.philox4x32x10(v[0], v[1], v[2], v[3], v[4], v[5], out);
            assertArrayEquals(new int[] {v[6], v[7], v[8], v[9]}, out, () -> "counter " + Integer.toHexString(v[0]));
        }
    }

    /** The expected output of dropout from the definition: x·scale (rounded to p) where kept, x·0 elsewhere. */
    static double[] expected(DropoutShape s, Precision p, double[] x) {
        double[] y = new double[x.length];
        double scale = p == Precision.F64 ? s.scale() : (float) s.scale();
        for (int b = 0; b < s.batch(); b++) {
            for (int c = 0; c < s.channels(); c++) {
                for (int t = 0; t < s.length(); t++) {
                    int i = (b * s.channels() + c) * s.length() + t;
                    double m = s.keeps(b, c, t) ? scale : 0.0;
                    y[i] = p == Precision.F64 ? x[i] * m : (float) ((float) x[i] * (float) m);
                }
            }
        }
        return y;
    }

    static void sameBits(String what, double[] want, double[] got) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            if (Double.doubleToRawLongBits(want[i]) != Double.doubleToRawLongBits(got[i])) {
                throw new AssertionError(what + " element " + i + ": " + got[i] + ", expected " + want[i]);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void theKernelDrawsTheDefinedMaskAndScalesExactly(Precision p) {
        int[][] shapes = {{1, 1, 1}, {1, 1, 7}, {2, 3, 5}, {3, 5, 1001}, {1, 1, 4099}};
        long seed = 1;
        for (int[] sh : shapes) {
            for (boolean tied : new boolean[] {false, true}) {
                DropoutShape s = new DropoutShape(sh[0], sh[1], sh[2], 0.3, tied, 0x1234_5678_9abcL * seed, 17 + seed, 3);
                double[] x = Host.round(p, NormReference.uniform(seed++, s.count(), -2, 2));
                x[0] = Double.NaN;
                double[] want = expected(s, p, x);
                sameBits(p + " " + s, want, NormRuns.dropout(be, p, s, x, false));
                sameBits(p + " backward " + s, want, NormRuns.dropout(be, p, s, x, true));
            }
        }
    }

    /** The kept positions of a dropout of ones. */
    static boolean[] mask(JvmBackend b, Precision p, DropoutShape s) {
        double[] ones = new double[s.count()];
        java.util.Arrays.fill(ones, 1);
        double[] y = NormRuns.dropout(b, p, s, ones, false);
        boolean[] m = new boolean[y.length];
        for (int i = 0; i < y.length; i++) {
            m[i] = y[i] != 0;
        }
        return m;
    }

    @Test
    void theMaskIsTheSameInBothPrecisionsAndOnAnyThreadCount() {
        DropoutShape s = new DropoutShape(3, 7, 999, 0.25, false, -5L, 1L << 33, 2);
        boolean[] m = mask(be, Precision.F64, s);
        assertArrayEquals(m, mask(be, Precision.F32, s), "float32 vs float64");
        try (JvmBackend one = JvmBackend.withThreads(1); JvmBackend three = JvmBackend.withThreads(3)) {
            for (Precision p : Precision.values()) {
                assertArrayEquals(m, mask(one, p, s), p + " one thread");
                assertArrayEquals(m, mask(three, p, s), p + " three threads");
                assertArrayEquals(mask(be, p, s.withTied()), mask(three, p, s.withTied()), p + " tied, three threads");
            }
        }
    }

    @Test
    void keepFractionAndNeighbourAgreementAreThoseOfIndependentDraws() {
        int n = 1 << 20;
        for (double p : new double[] {0.1, 0.3, 0.5, 0.9}) {
            for (int layer = 0; layer < 2; layer++) {
                DropoutShape s = new DropoutShape(4, 16, n / 64, p, false, 42, 7, layer);
                boolean[] m = mask(be, Precision.F32, s);
                long kept = 0;
                long agree = 0;
                long agree4 = 0;
                for (int i = 0; i < n; i++) {
                    kept += m[i] ? 1 : 0;
                    if (i + 1 < n && m[i] == m[i + 1]) {
                        agree++;
                    }
                    if (i + 4 < n && m[i] == m[i + 4]) {
                        agree4++;
                    }
                }
                double q = 1 - p;
                double sd = Math.sqrt(n * p * q);
                assertTrue(Math.abs(kept - n * q) <= 6 * sd, "p=" + p + ": kept " + kept + " of " + n + ", expected " + n * q
                    + " ± " + 6 * sd);
                double a = p * p + q * q;
                double sda = Math.sqrt(n * a * (1 - a));
                // neighbours in a Philox call (lag 1) and in consecutive calls (lag 4) must be independent
                assertTrue(Math.abs(agree - (n - 1) * a) <= 8 * sda, "p=" + p + ": lag-1 agreement " + agree);
                assertTrue(Math.abs(agree4 - (n - 4) * a) <= 8 * sda, "p=" + p + ": lag-4 agreement " + agree4);
            }
        }
    }

    @Test
    void anotherSeedStepOrLayerDrawsAnotherMask() {
        DropoutShape s = new DropoutShape(2, 8, 4096, 0.5, false, 9, 100, 1);
        boolean[] m = mask(be, Precision.F64, s);
        DropoutShape[] others = {new DropoutShape(2, 8, 4096, 0.5, false, 10, 100, 1), s.atStep(101),
            new DropoutShape(2, 8, 4096, 0.5, false, 9, 100, 2), new DropoutShape(2, 8, 4096, 0.5, false, 9 + (1L << 32), 100, 1),
            s.atStep(100 + (1L << 32))};
        for (DropoutShape o : others) {
            boolean[] mo = mask(be, Precision.F64, o);
            int same = 0;
            for (int i = 0; i < m.length; i++) {
                same += m[i] == mo[i] ? 1 : 0;
            }
            // independent masks with p = 1/2 agree on half the elements (65536 elements, sd 128)
            assertTrue(Math.abs(same - m.length / 2.0) <= 6 * 128, o + ": agrees on " + same + " of " + m.length);
        }
        assertArrayEquals(m, mask(be, Precision.F64, s.atStep(100)), "the same (seed, step, layer) draws the same mask");
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void aTiedMaskIsConstantOverTheLengthAndDrawsPerRow(Precision p) {
        DropoutShape s = new DropoutShape(8, 64, 37, 0.4, true, 3, 5, 0);
        boolean[] m = mask(be, p, s);
        int kept = 0;
        for (int r = 0; r < s.batch() * s.channels(); r++) {
            for (int t = 1; t < s.length(); t++) {
                assertEquals(m[r * s.length()], m[r * s.length() + t], "row " + r + " t " + t);
            }
            assertEquals(s.keeps(r), m[r * s.length()], "row " + r);
            kept += m[r * s.length()] ? 1 : 0;
        }
        double sd = Math.sqrt(512 * 0.4 * 0.6);
        assertTrue(Math.abs(kept - 512 * 0.6) <= 6 * sd, "kept rows " + kept);
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void pZeroIsTheIdentityAndInPlaceWorks(Precision p) {
        DropoutShape s = new DropoutShape(2, 3, 11, 0.0, false, 1, 2, 3);
        double[] x = Host.round(p, NormReference.uniform(5, s.count(), -1, 1));
        sameBits("p = 0", x, NormRuns.dropout(be, p, s, x, false));
        sameBits("p = 0 backward", x, NormRuns.dropout(be, p, s, x, true));
        sameBits("p = 0 tied", x, NormRuns.dropout(be, p, s.withTied(), x, false));
        DropoutShape d = new DropoutShape(2, 3, 11, 0.5, false, 1, 2, 3);
        try (var b = Host.put(be, p, x)) {
            be.dropout(d, b, b);
            sameBits("in place", expected(d, p, x), Host.get(be, b));
        }
    }

    @Test
    void theThresholdIsExact() {
        assertEquals(0, new DropoutShape(1, 1, 1, 0.0, false, 0, 0, 0).threshold());
        assertEquals(1 << 23, new DropoutShape(1, 1, 1, 0.5, false, 0, 0, 0).threshold());
        assertEquals(1, new DropoutShape(1, 1, 1, 0x1p-30, false, 0, 0, 0).threshold());
        assertEquals((1 << 24) - 1, new DropoutShape(1, 1, 1, 1 - 0x1p-24, false, 0, 0, 0).threshold());
        // above 1 − 2⁻²⁴ nothing is kept: no 24-bit value reaches 2²⁴
        assertEquals(1 << 24, new DropoutShape(1, 1, 1, Math.nextDown(1.0), false, 0, 0, 0).threshold());
        assertEquals(1677722, new DropoutShape(1, 1, 1, 0.1, false, 0, 0, 0).threshold());
    }

    @Test
    void badArgumentsAreRefusedInOneLine() {
        String[] m = {
            assertThrows(IllegalArgumentException.class, () -> new DropoutShape(1, 1, 1, 1.0, false, 0, 0, 0)).getMessage(),
            assertThrows(IllegalArgumentException.class, () -> new DropoutShape(1, 1, 1, Double.NaN, false, 0, 0, 0)).getMessage(),
            assertThrows(IllegalArgumentException.class, () -> new DropoutShape(1, 1, 1, 0.1, false, 0, -1, 0)).getMessage(),
            assertThrows(IllegalArgumentException.class, () -> new DropoutShape(1, 1, 1, 0.1, false, 0, 0, -2)).getMessage(),
            assertThrows(IllegalArgumentException.class, () -> new DropoutShape(1, 0, 1, 0.1, false, 0, 0, 0)).getMessage(),
        };
        assertTrue(m[0].contains("p") && m[0].contains("1.0"), m[0]);
        assertTrue(m[1].contains("NaN"), m[1]);
        assertTrue(m[2].contains("step") && m[2].contains("-1"), m[2]);
        assertTrue(m[3].contains("layer") && m[3].contains("-2"), m[3]);
        assertTrue(m[4].contains("channels") && m[4].contains("0"), m[4]);
        try (var x = be.allocate(Precision.F64, 5); var y = be.allocate(Precision.F64, 6)) {
            String e = assertThrows(IllegalArgumentException.class,
                () -> be.dropout(new DropoutShape(1, 2, 3, 0.1, false, 0, 0, 0), x, y)).getMessage();
            assertTrue(e.contains("x") && e.contains("6") && e.contains("5") && !e.contains("\n"), e);
        }
    }
}
