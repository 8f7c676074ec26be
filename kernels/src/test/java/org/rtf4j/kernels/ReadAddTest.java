package org.rtf4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.testing.Host;
import org.rtf4j.kernels.testing.WithJvmBackend;

/** {@link Backend#readAdd}: the JVM backend's one-pass version and the interface default agree with read + add. */
class ReadAddTest extends WithJvmBackend {

    @ParameterizedTest
    @EnumSource(Precision.class)
    void addsTheRangeAndNothingElse(Precision p) {
        double[] src = {0.5, -1.25, 2.0, 3.5, -4.0};
        try (DeviceBuffer b = Host.put(be, p, src)) {
            for (Backend viaDefault : new Backend[] {be, defaultOnly(be)}) {
                double[] dst = {10, 20, 30, 40, 50, 60};
                viaDefault.readAdd(b, 1, dst, 2, 3);
                assertArrayEquals(new double[] {10, 20, 30 - 1.25, 40 + 2.0, 50 + 3.5, 60}, dst, 0.0, p + " " + viaDefault);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> viaDefault.readAdd(b, 3, dst, 0, 3));
                assertTrue(e.getMessage().contains("src range [3, 6) is outside [0, 5)"), e.getMessage());
                e = assertThrows(IllegalArgumentException.class, () -> viaDefault.readAdd(b, 0, dst, 4, 3));
                assertTrue(e.getMessage().contains("dst range [4, 7) is outside [0, 6)"), e.getMessage());
                assertArrayEquals(new double[] {10, 20, 30 - 1.25, 40 + 2.0, 50 + 3.5, 60}, dst, 0.0, "unchanged after refusals");
            }
        }
    }

    /** A backend that keeps {@code readAdd}'s interface default (read into a temporary, then add). */
    private static Backend defaultOnly(Backend be) {
        return (Backend) java.lang.reflect.Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
            (proxy, m, args) -> {
                if (m.isDefault()) {
                    return java.lang.reflect.InvocationHandler.invokeDefault(proxy, m, args);
                }
                try {
                    return m.invoke(be, args);
                } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                }
            });
    }
}
