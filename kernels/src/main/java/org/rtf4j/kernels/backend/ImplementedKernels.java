package org.rtf4j.kernels.backend;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which kernels a backend class implements, read from the class itself: kernel {@code id} counts when the
 * class, or a superclass below {@link AbstractBackend}, defines a concrete method named
 * {@link AbstractBackend#runMethodName}{@code (id)}. Computed once per class.
 */
final class ImplementedKernels {
    private static final ClassValue<Set<KernelId>> IMPLEMENTED = new ClassValue<>() {
        @Override
        protected Set<KernelId> computeValue(Class<?> type) {
            EnumSet<KernelId> out = EnumSet.noneOf(KernelId.class);
            for (KernelId id : KernelId.values()) {
                if (defines(type, AbstractBackend.runMethodName(id))) {
                    out.add(id);
                }
            }
            return Collections.unmodifiableSet(out);
        }
    };

    private ImplementedKernels() {
    }

    /** The kernels whose run method {@code type} (or a superclass below AbstractBackend) defines. */
    static Set<KernelId> of(Class<?> type) {
        return IMPLEMENTED.get(type);
    }

    /** Whether {@code type} or a superclass below AbstractBackend defines a concrete method {@code name}. */
    private static boolean defines(Class<?> type, String name) {
        for (Class<?> c = type; c != null && c != AbstractBackend.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().equals(name) && !Modifier.isAbstract(m.getModifiers())) {
                    return true;
                }
            }
        }
        return false;
    }
}
