package org.rtf4j.train.nn;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Runs independent index tasks on the common fork-join pool. Every task writes its own outputs, so results
 * do not depend on scheduling: the ops stay bit-deterministic whatever the thread count.
 */
final class Parallel {
    private Parallel() {
    }

    static void forEach(int n, IntConsumer body) {
        if (n <= 1) {
            for (int i = 0; i < n; i++) {
                body.accept(i);
            }
            return;
        }
        IntStream.range(0, n).parallel().forEach(body);
    }
}
