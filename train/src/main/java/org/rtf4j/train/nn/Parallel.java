package org.rtf4j.train.nn;

import java.util.function.IntConsumer;
import org.rtf4j.kernels.jvm.JvmExecutor;

/**
 * Runs independent index tasks on the model's host executor (the one whose threads the command sized with
 * {@code --threads}; no other pool is used). Every task writes its own outputs, so results do not depend on
 * scheduling: the ops stay bit-deterministic whatever the thread count.
 */
final class Parallel {
    private Parallel() {
    }

    /** {@code body(i)} for every i in [0, n), spread over the workers of {@code host}. */
    static void forEach(JvmExecutor host, int n, IntConsumer body) {
        if (n <= 1) {
            for (int i = 0; i < n; i++) {
                body.accept(i);
            }
            return;
        }
        host.parallelFor(n, (worker, from, to) -> {
            for (int i = from; i < to; i++) {
                body.accept(i);
            }
        });
    }

    /** {@code host}, or IllegalArgumentException naming the op. */
    static JvmExecutor require(JvmExecutor host, String name) {
        if (host == null) {
            throw new IllegalArgumentException(name + ": the host executor must not be null");
        }
        return host;
    }
}
