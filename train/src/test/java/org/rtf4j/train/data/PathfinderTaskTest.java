package org.rtf4j.train.data;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PathfinderTaskTest {

    private static Dataset open(long seed, int distractors) {
        return Tasks.open(TaskConfig.of("pathfinder", seed).with("distractors", String.valueOf(distractors))
            .with("test-size", "300"));
    }

    /** Components of non-zero pixels, 8-connected across gaps of one pixel (Chebyshev ≤ 2), labelled 1…. */
    private static int[] components(float[] img) {
        int[] comp = new int[1024];
        int next = 0;
        for (int s = 0; s < 1024; s++) {
            if (img[s] == 0 || comp[s] != 0) {
                continue;
            }
            comp[s] = ++next;
            ArrayDeque<Integer> q = new ArrayDeque<>(List.of(s));
            while (!q.isEmpty()) {
                int p = q.poll();
                for (int dy = -2; dy <= 2; dy++) {
                    for (int dx = -2; dx <= 2; dx++) {
                        int x = p % 32 + dx;
                        int y = p / 32 + dy;
                        if (x >= 0 && y >= 0 && x < 32 && y < 32 && img[y * 32 + x] != 0 && comp[y * 32 + x] == 0) {
                            comp[y * 32 + x] = next;
                            q.add(y * 32 + x);
                        }
                    }
                }
            }
        }
        return comp;
    }

    @Test
    void spec() {
        assertEquals(new TaskSpec("pathfinder", 0, 1, 2, TaskSpec.Target.SEQUENCE_CLASS, 1024), open(0, 2).spec());
    }

    @Test
    void balancedDecidableAndWellFormed() {
        for (int distractors : new int[] {0, 2, 4}) {
            Dataset d = open(11, distractors);
            int positives = 0;
            for (int i = 0; i < 300; i++) {
                Example e = d.get(Split.TEST, i);
                float[] img = e.features();
                assertEquals(1024, e.length());
                assertEquals(1024, img.length);
                List<Integer> marks = new ArrayList<>();
                for (int p = 0; p < 1024; p++) {
                    assertTrue(img[p] == 0f || img[p] == 0.5f || img[p] == 1f, "pixel value " + img[p]);
                    if (img[p] == 1f) {
                        marks.add(p);
                    }
                }
                assertEquals(18, marks.size(), "two 3x3 markers");
                int[] comp = components(img);
                int nComp = Arrays.stream(comp).max().orElse(0);
                assertEquals(distractors + (e.label() == 1 ? 2 : 2), nComp, "one component per path");
                boolean joined = marks.stream().mapToInt(p -> comp[p]).distinct().count() == 1;
                assertEquals(e.label() == 1, joined, "label decidable from the image, example " + i);
                positives += e.label();
            }
            assertTrue(positives > 120 && positives < 180, "positives " + positives + " of 300");
        }
    }

    @Test
    void deterministic() {
        assertArrayEquals(open(3, 2).get(Split.TRAIN, 999).features(), open(3, 2).get(Split.TRAIN, 999).features());
        assertFalse(Arrays.equals(open(3, 2).get(Split.TRAIN, 0).features(), open(4, 2).get(Split.TRAIN, 0).features()));
        assertFalse(Arrays.equals(open(3, 2).get(Split.TRAIN, 0).features(), open(3, 2).get(Split.TEST, 0).features()));
    }

    /** Pins the generator: stored experiments depend on it. */
    @Test
    void golden() {
        Example e = Tasks.open(TaskConfig.of("pathfinder", 1)).get(Split.TRAIN, 0);
        assertEquals(0, e.label());
        assertEquals(-1510506495, Arrays.hashCode(e.features()));
    }
}
