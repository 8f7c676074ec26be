package org.rtf4j.train.data;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ListOpsTaskTest {

    private static Dataset small(long seed) {
        return Tasks.open(TaskConfig.of("listops", seed).with("max-length", "200").with("test-size", "50"));
    }

    /** An evaluator written independently of the generator: a stack over the token sequence. */
    static int evaluate(int[] tokens) {
        Deque<List<Integer>> stack = new ArrayDeque<>();
        Deque<Integer> ops = new ArrayDeque<>();
        Integer result = null;
        for (int tok : tokens) {
            if (tok >= 1 && tok <= 10) {
                int v = tok - 1;
                if (stack.isEmpty()) {
                    result = v;
                } else {
                    stack.peek().add(v);
                }
            } else if (tok >= 11 && tok <= 14) {
                ops.push(tok);
                stack.push(new ArrayList<>());
            } else if (tok == 15) {
                List<Integer> args = stack.pop();
                int op = ops.pop();
                List<Integer> sorted = new ArrayList<>(args);
                sorted.sort(null);
                int v = switch (op) {
                    case 11 -> sorted.get(0);
                    case 12 -> sorted.get(sorted.size() - 1);
                    case 13 -> (int) Math.floor(sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                        : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2.0);
                    default -> args.stream().mapToInt(Integer::intValue).sum() % 10;
                };
                if (stack.isEmpty()) {
                    result = v;
                } else {
                    stack.peek().add(v);
                }
            } else {
                throw new AssertionError("unexpected token " + tok);
            }
        }
        assertTrue(stack.isEmpty(), "unbalanced brackets");
        return result;
    }

    @Test
    void spec() {
        Dataset d = Tasks.open(TaskConfig.of("listops", 0));
        assertEquals(new TaskSpec("listops", 16, 0, 10, TaskSpec.Target.SEQUENCE_CLASS, 2048), d.spec());
    }

    @Test
    void labelsAgreeWithAnIndependentEvaluatorAndLengthsAreWithinBounds() {
        Dataset d = small(1);
        int[] labels = new int[10];
        int lengthSum = 0;
        for (Split s : Split.values()) {
            for (int i = 0; i < 50; i++) {
                Example e = d.get(s, i);
                assertTrue(e.length() >= 50 && e.length() <= 200, "length " + e.length());
                assertEquals(e.length(), e.tokens().length);
                assertTrue(e.tokens()[0] >= 11 && e.tokens()[0] <= 14, "starts with an operator");
                assertEquals(15, e.tokens()[e.length() - 1]);
                assertEquals(evaluate(e.tokens()), e.label(), Arrays.toString(e.tokens()));
                labels[e.label()]++;
                lengthSum += e.length();
            }
        }
        long distinct = Arrays.stream(labels).filter(c -> c > 0).count();
        assertTrue(distinct >= 6, "labels " + Arrays.toString(labels));
        assertTrue(lengthSum / 100 > 60, "mean length " + lengthSum / 100.0);
    }

    @Test
    void medianOfAnEvenCountIsTheFlooredMean() {
        assertEquals(3, ListOpsTask.apply(ListOpsTask.MED, new int[] {9, 2, 4, 0}));
        assertEquals(4, ListOpsTask.apply(ListOpsTask.MED, new int[] {9, 4, 2}));
        assertEquals(5, ListOpsTask.apply(ListOpsTask.SUM_MOD, new int[] {9, 4, 2}));
    }

    @Test
    void defaultLengthsAreWithin512And2048() {
        Dataset d = Tasks.open(TaskConfig.of("listops", 3).with("test-size", "5"));
        for (int i = 0; i < 5; i++) {
            Example e = d.get(Split.TEST, i);
            assertTrue(e.length() >= 512 && e.length() <= 2048, "length " + e.length());
            assertEquals(evaluate(e.tokens()), e.label());
        }
    }

    @Test
    void deterministic() {
        assertArrayEquals(small(7).get(Split.TRAIN, 1000).tokens(), small(7).get(Split.TRAIN, 1000).tokens());
        assertFalse(Arrays.equals(small(7).get(Split.TRAIN, 0).tokens(), small(8).get(Split.TRAIN, 0).tokens()));
        assertFalse(Arrays.equals(small(7).get(Split.TRAIN, 0).tokens(), small(7).get(Split.TEST, 0).tokens()));
    }

    @Test
    void rejectsMinAboveMax() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tasks.open(
            TaskConfig.of("listops", 0).with("max-length", "100").with("min-length", "101")));
        assertTrue(e.getMessage().contains("min-length") && e.getMessage().contains("101"), e.getMessage());
    }

    /** Pins the generator: stored experiments depend on it. */
    @Test
    void golden() {
        Example e = Tasks.open(TaskConfig.of("listops", 1).with("max-length", "200")).get(Split.TRAIN, 0);
        assertEquals(135, e.length());
        assertEquals(1, e.label());
        assertArrayEquals(new int[] {14, 11, 5, 6, 12, 9, 3, 15, 3, 13, 12, 6}, Arrays.copyOf(e.tokens(), 12));
        assertEquals(-1596684042, Arrays.hashCode(e.tokens()));
    }
}
