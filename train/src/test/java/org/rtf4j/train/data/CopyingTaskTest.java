package org.rtf4j.train.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CopyingTaskTest {

    private static Dataset open(long seed, String... kv) {
        TaskConfig c = TaskConfig.of("copying", seed);
        for (int i = 0; i < kv.length; i += 2) {
            c = c.with(kv[i], kv[i + 1]);
        }
        return Tasks.open(c);
    }

    @Test
    void specAndDefaults() {
        Dataset d = open(1);
        assertEquals(new TaskSpec("copying", 64, 0, 64, TaskSpec.Target.TOKEN_CLASS, 256), d.spec());
        assertEquals(10000, d.size(Split.TRAIN));
        assertEquals(1000, d.size(Split.TEST));
        assertTrue(d.generatesFreshTrainingExamples());
    }

    @Test
    void followsTheDefinition() {
        int m = 16;
        int a = 10;
        int noise = 5;
        Dataset d = open(3, "tokens", "16", "alphabet", "10", "noise", "5", "test-size", "20");
        for (Split s : Split.values()) {
            for (long i : new long[] {0, 1, 7, 19}) {
                Example e = d.get(s, i);
                assertEquals(2 * m + noise, e.length());
                assertNull(e.features());
                assertEquals(-1, e.label());
                int[] in = e.tokens();
                int[] y = e.targetTokens();
                for (int t = 0; t < m; t++) {
                    assertTrue(in[t] >= 1 && in[t] <= a - 2, "data token " + in[t]);
                    assertEquals(-1, y[t]);
                }
                for (int t = m; t < m + noise; t++) {
                    assertEquals(0, in[t]);
                    assertEquals(-1, y[t]);
                }
                for (int t = 0; t < m; t++) {
                    assertEquals(a - 1, in[m + noise + t]);
                    assertEquals(in[t], y[m + noise + t]);
                }
            }
        }
    }

    @Test
    void tokensCoverTheAlphabetUniformly() {
        Dataset d = open(5, "tokens", "100", "alphabet", "6");
        int[] count = new int[6];
        for (int i = 0; i < 200; i++) {
            int[] in = d.get(Split.TRAIN, i).tokens();
            for (int t = 0; t < 100; t++) {
                count[in[t]]++;
            }
        }
        assertEquals(0, count[0]);
        assertEquals(0, count[5]);
        for (int k = 1; k <= 4; k++) {
            assertEquals(5000, count[k], 300, Arrays.toString(count));
        }
    }

    @Test
    void deterministicInSeedSplitAndIndex() {
        Dataset a = open(42);
        Dataset b = open(42);
        Dataset c = open(43);
        assertArrayEquals(a.get(Split.TRAIN, 123_456_789L).tokens(), b.get(Split.TRAIN, 123_456_789L).tokens());
        assertArrayEquals(a.get(Split.TEST, 5).targetTokens(), b.get(Split.TEST, 5).targetTokens());
        assertFalse(Arrays.equals(a.get(Split.TRAIN, 0).tokens(), c.get(Split.TRAIN, 0).tokens()));
        assertFalse(Arrays.equals(a.get(Split.TRAIN, 0).tokens(), a.get(Split.TRAIN, 1).tokens()));
        assertFalse(Arrays.equals(a.get(Split.TRAIN, 0).tokens(), a.get(Split.TEST, 0).tokens()));
    }

    @Test
    void testIndicesAreBounded() {
        Dataset d = open(1, "test-size", "3");
        assertThrows(IndexOutOfBoundsException.class, () -> d.get(Split.TEST, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> d.get(Split.TRAIN, -1));
        d.get(Split.TRAIN, 1_000_000);
    }

    /** Pins the generator: a change of the random stream changes every stored experiment. */
    @Test
    void goldenExample() {
        int[] in = open(0, "tokens", "8", "alphabet", "10").get(Split.TRAIN, 0).tokens();
        assertArrayEquals(GOLDEN, in);
    }

    private static final int[] GOLDEN = {7, 1, 4, 7, 2, 8, 3, 4, 9, 9, 9, 9, 9, 9, 9, 9};
}
