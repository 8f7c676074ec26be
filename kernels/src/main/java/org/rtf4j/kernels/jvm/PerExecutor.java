package org.rtf4j.kernels.jvm;

import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Function;

/**
 * One kernel object per {@link JvmExecutor}, made on first use and kept weakly (it goes with its executor),
 * for the host-array entry points ({@link HostGemm}, {@link HostActivations}) that run without a backend.
 * The made object must not refer to the executor, or it would keep it alive.
 */
final class PerExecutor<T> {
    private final Map<JvmExecutor, T> objects = new WeakHashMap<>();
    private final Function<JvmExecutor, T> make;

    PerExecutor(Function<JvmExecutor, T> make) {
        this.make = make;
    }

    /** The object of {@code host}, made now if it has none. */
    synchronized T get(JvmExecutor host) {
        return objects.computeIfAbsent(host, make);
    }
}
