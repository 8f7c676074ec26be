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

    /**
     * Long transfers (2^16 elements and more) run chunked over the workers: the rounding write and
     * readAdd against element-by-element references, with offsets and a length that is no multiple of
     * a chunk, and nothing outside the range touched.
     */
    @ParameterizedTest
    @EnumSource(Precision.class)
    void longTransfersOverTheWorkers(Precision p) {
        int len = (1 << 17) + 12345;
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        double[] src = new double[len + 7];
        for (int i = 0; i < src.length; i++) {
            src[i] = r.nextDouble(-1e3, 1e3);
        }
        try (DeviceBuffer b = be.allocate(p, len + 11)) {
            be.zero(b);
            be.write(b, 5, src, 7, len);
            double[] back = Host.get(be, b);
            for (int i = 0; i < len + 11; i++) {
                double want = i < 5 || i >= 5 + len ? 0.0 : (p == Precision.F32 ? (float) src[7 + i - 5] : src[7 + i - 5]);
                if (back[i] != want) {
                    throw new AssertionError(p + " write: element " + i + " is " + back[i] + ", expected " + want);
                }
            }
            double[] dst = new double[len + 9];
            java.util.Arrays.fill(dst, 1.0);
            be.readAdd(b, 5, dst, 9, len);
            for (int i = 0; i < dst.length; i++) {
                double want = i < 9 ? 1.0 : 1.0 + back[5 + i - 9];
                if (dst[i] != want) {
                    throw new AssertionError(p + " readAdd: element " + i + " is " + dst[i] + ", expected " + want);
                }
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
