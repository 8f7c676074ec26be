package org.rtf4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.IndexBuffer;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.dense.EmbeddingShape;
import org.rtf4j.kernels.dense.TokenGroups;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.kernels.testing.EndsReference;
import org.rtf4j.kernels.testing.FiniteDifferences;
import org.rtf4j.kernels.testing.Host;
import org.rtf4j.kernels.testing.WithJvmBackend;

/**
 * The JVM embedding gather and its scatter-add against the host model's loops ({@link EndsReference}): the
 * gather exactly, the backward bit for bit the host's (b, t)-ordered accumulation in the buffer's precision
 * (from a non-zero gradient: it accumulates), the same bits on 1, 2 and 3 threads, the gradient of
 * ⟨w, embedding(table)⟩ by central differences; invalid tokens and groupings give NaN and read nothing;
 * {@link TokenGroups}; arguments refused in one line.
 */
class EmbeddingTest extends WithJvmBackend {

    /** Shapes (B, ℓ, V, H): single elements, odd lengths, more positions than a unit, a vocabulary larger than used. */
    static final List<EmbeddingShape> SHAPES = List.of(new EmbeddingShape(1, 1, 1, 1), new EmbeddingShape(1, 7, 3, 1),
        new EmbeddingShape(3, 5, 4, 6), new EmbeddingShape(2, 1, 5, 3), new EmbeddingShape(4, 333, 11, 17),
        new EmbeddingShape(2, 50, 300, 8));

    static IndexBuffer indices(Backend be, int[] v) {
        IndexBuffer b = be.allocateIndices(v.length);
        be.writeIndices(b, 0, v, 0, v.length);
        return b;
    }

    static double[] embed(Backend be, Precision p, EmbeddingShape s, int[] tokens, double[] table) {
        try (IndexBuffer tk = indices(be, tokens); DeviceBuffer tb = Host.put(be, p, table);
             DeviceBuffer y = be.allocate(p, s.outputCount())) {
            be.embedding(s, tk, tb, y);
            return Host.get(be, y);
        }
    }

    /** g0 + the scatter-add of dy, through the grouping of tokens. */
    static double[] backward(Backend be, Precision p, EmbeddingShape s, int[] tokens, double[] dy, double[] g0) {
        TokenGroups g = TokenGroups.of(tokens, s.vocabulary());
        return backward(be, p, s, g.order(), g.starts(), dy, g0);
    }

    static double[] backward(Backend be, Precision p, EmbeddingShape s, int[] order, int[] starts, double[] dy, double[] g0) {
        try (IndexBuffer o = indices(be, order); IndexBuffer st = indices(be, starts); DeviceBuffer d = Host.put(be, p, dy);
             DeviceBuffer g = Host.put(be, p, g0)) {
            be.embeddingBackward(s, o, st, d, g);
            return Host.get(be, g);
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void theGatherCopiesTheTableRowsAndTheScatterAddIsTheHostLoopBitForBitOnAnyThreadCount(Precision p) {
        try (JvmBackend one = JvmBackend.withThreads(1); JvmBackend three = JvmBackend.withThreads(3)) {
            long seed = 1;
            for (EmbeddingShape s : SHAPES) {
                int[] tokens = EndsReference.ints(seed++, s.positions(), 0, Math.min(s.vocabulary(), 7));
                double[] table = Host.round(p, EndsReference.uniform(seed++, s.tableCount(), 1));
                double[] dy = Host.round(p, EndsReference.uniform(seed++, s.outputCount(), 1));
                double[] g0 = Host.round(p, EndsReference.uniform(seed++, s.tableCount(), 1));
                double[] y = embed(be, p, s, tokens, table);
                assertArrayEquals(EndsReference.embedding(s, tokens, table), y, p + " embedding " + s);
                double[] g = backward(be, p, s, tokens, dy, g0);
                double[] ref = g0.clone();
                if (p == Precision.F64) {
                    EndsReference.embeddingBackward(s, tokens, dy, ref);
                } else {
                    EndsReference.embeddingBackwardF32(s, tokens, dy, ref);
                }
                assertArrayEquals(ref, g, p + " embeddingBackward " + s);
                for (Backend other : new Backend[] {one, three}) {
                    assertArrayEquals(y, embed(other, p, s, tokens, table), p + " embedding " + s + " on " + other.hostWorkers());
                    assertArrayEquals(g, backward(other, p, s, tokens, dy, g0), p + " embeddingBackward " + s + " on "
                        + other.hostWorkers());
                }
            }
        }
    }

    @Test
    void theTableGradientIsTheCentralDifferenceOfTheGather() {
        EmbeddingShape s = new EmbeddingShape(2, 5, 4, 3);
        int[] tokens = EndsReference.ints(7, s.positions(), 0, 4);
        double[] table = EndsReference.uniform(8, s.tableCount(), 1);
        double[] w = EndsReference.uniform(9, s.outputCount(), 1);
        double[] fd = FiniteDifferences.gradient(table, () -> FiniteDifferences.dot(w,
            embed(be, Precision.F64, s, tokens, table)), 1e-3);
        double[] g = backward(be, Precision.F64, s, tokens, w, new double[s.tableCount()]);
        for (int i = 0; i < g.length; i++) {
            assertEquals(fd[i], g[i], 1e-9, "dTable[" + i + "]");
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void aTokenOutsideTheVocabularyGivesNaNAndAGroupingOutsideThePositionsNaNRows(Precision p) {
        EmbeddingShape s = new EmbeddingShape(1, 4, 3, 2);
        double[] table = {1, 2, 3, 4, 5, 6};
        double[] y = embed(be, p, s, new int[] {0, -1, 3, 2}, table);
        assertArrayEquals(new double[] {1, Double.NaN, Double.NaN, 5, 2, Double.NaN, Double.NaN, 6}, y, p + " " + List.of(y));
        double[] dy = {1, 1, 1, 1, 1, 1, 1, 1};
        // token 0 at positions 0 and 9 (outside [0, 4)): its row is NaN; token 1 none; token 2 at 2, with starts
        // past the end clamped
        double[] g = backward(be, p, s, new int[] {0, 9, 2, 3}, new int[] {0, 2, 2, 99}, dy, new double[6]);
        assertTrue(Double.isNaN(g[0]) && Double.isNaN(g[1]), p + " " + java.util.Arrays.toString(g));
        assertArrayEquals(new double[] {0, 0, 2, 2}, java.util.Arrays.copyOfRange(g, 2, 6), p + " " + java.util.Arrays.toString(g));
        double[] neg = backward(be, p, s, new int[] {0, 1, 2, 3}, new int[] {-5, 1, 1, 2}, dy, new double[6]);
        assertArrayEquals(new double[] {1, 1, 0, 0, 1, 1}, neg, p + " " + java.util.Arrays.toString(neg));
    }

    @Test
    void tokenGroupsAreAStableCountingSort() {
        int[] tokens = {2, 0, 2, 1, 0, 2, 4};
        TokenGroups g = TokenGroups.of(tokens, 5);
        assertArrayEquals(new int[] {1, 4, 3, 0, 2, 5, 6}, g.order());
        assertArrayEquals(new int[] {0, 2, 3, 6, 6, 7}, g.starts());
        int[] order = new int[9];
        int[] starts = new int[7];
        java.util.Arrays.fill(starts, 42);
        TokenGroups.build(tokens, 3, 6, order, starts);
        assertArrayEquals(new int[] {1, 0, 2}, java.util.Arrays.copyOf(order, 3));
        assertArrayEquals(new int[] {0, 1, 1, 3, 3, 3, 3}, starts);
        assertMessage("tokens[6] must be in [0, 4), got 4", () -> TokenGroups.of(tokens, 4));
        assertMessage("tokens[0] must be in [0, 3), got -1", () -> TokenGroups.of(new int[] {-1}, 3));
        assertMessage("starts has 3 entries, expected at least 4", () -> TokenGroups.build(tokens, 2, 3, order, new int[3]));
        assertMessage("vocabulary must be ≥ 1, got 0", () -> TokenGroups.build(tokens, 2, 0, order, starts));
    }

    @Test
    void badArgumentsAreRefusedInOneLine() {
        EmbeddingShape s = new EmbeddingShape(2, 3, 4, 5);
        try (IndexBuffer tk = be.allocateIndices(6); IndexBuffer small = be.allocateIndices(4);
             DeviceBuffer table = be.allocate(Precision.F64, 20); DeviceBuffer y = be.allocate(Precision.F64, 30);
             DeviceBuffer y32 = be.allocate(Precision.F32, 30); DeviceBuffer tiny = be.allocate(Precision.F64, 3)) {
            assertMessage("tokens has 4 integers, expected at least 6", () -> be.embedding(s, small, table, y));
            assertMessage("y is F32, expected F64", () -> be.embedding(s, tk, table, y32));
            assertMessage("y has 3 elements, expected at least 30", () -> be.embedding(s, tk, table, tiny));
            assertMessage("y must be a buffer other than table", () -> be.embedding(s, tk, table, table));
            assertMessage("shape must not be null", () -> be.embedding(null, tk, table, y));
            assertMessage("tokens must not be null", () -> be.embedding(s, null, table, y));
            assertMessage("starts has 4 integers, expected at least 5", () -> be.embeddingBackward(s, tk, small, y, table));
            assertMessage("dTable must be a buffer other than dy", () -> be.embeddingBackward(s, tk, tk, y, y));
            assertMessage("dTable has 3 elements, expected at least 20", () -> be.embeddingBackward(s, tk, tk, y, tiny));
            assertMessage("embedding dim must be ≥ 1, got 0", () -> new EmbeddingShape(1, 1, 1, 0));
            assertMessage("embedding batch·dim·length must be ≤ 2147483647, got 4294967296",
                () -> new EmbeddingShape(65536, 256, 2, 256));
        }
    }

    static void assertMessage(String start, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(start), "message: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }
}
