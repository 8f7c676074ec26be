package org.rtf4j.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.IndexBuffer;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.kernels.testing.OpenClTesting;

/**
 * Index buffers on both backends: zero-filled, written and read back exactly (negative and large values,
 * offsets, transfers longer than one staging piece on OpenCL), counted in the live bytes, ranges and
 * foreign handles refused in one line.
 */
class IndexBuffersTest {
    @Test
    void roundTripsOnBothBackends() {
        try (JvmBackend jvm = JvmBackend.withThreads(1); OpenClBackend cl = OpenClTesting.backend()) {
            for (Backend be : List.of(jvm, cl)) {
                long before = be.liveBytes();
                int n = 70_001;
                try (IndexBuffer b = be.allocateIndices(n)) {
                    assertEquals(n, b.length());
                    assertEquals(before + 4L * n, be.liveBytes(), be.name());
                    int[] zeros = new int[n];
                    be.readIndices(b, 0, zeros, 0, n);
                    assertArrayEquals(new int[n], zeros, be.name() + ": a new index buffer is zero");
                    int[] src = new int[n + 3];
                    for (int i = 0; i < src.length; i++) {
                        src[i] = (i % 7 == 0 ? -1 : 1) * (i * 2_654_435 + 17);
                    }
                    src[5] = Integer.MIN_VALUE;
                    src[6] = Integer.MAX_VALUE;
                    be.writeIndices(b, 1, src, 3, n - 1);
                    int[] got = new int[n + 2];
                    be.readIndices(b, 0, got, 2, n);
                    assertEquals(0, got[2], be.name() + ": element 0 not written");
                    for (int i = 1; i < n; i++) {
                        assertEquals(src[i + 2], got[i + 2], be.name() + " at " + i);
                    }
                }
                assertEquals(before, be.liveBytes(), be.name() + ": closing returns the bytes");
            }
        }
    }

    @Test
    void badRangesAndForeignHandlesAreRefusedInOneLine() {
        try (JvmBackend jvm = JvmBackend.withThreads(1); OpenClBackend cl = OpenClTesting.backend()) {
            try (IndexBuffer j = jvm.allocateIndices(4); IndexBuffer c = cl.allocateIndices(4)) {
                for (Backend be : List.of(jvm, cl)) {
                    IndexBuffer mine = be == jvm ? j : c;
                    IndexBuffer other = be == jvm ? c : j;
                    String m = assertThrows(IllegalArgumentException.class,
                        () -> be.writeIndices(mine, 2, new int[4], 0, 3)).getMessage();
                    assertEquals("dst range [2, 5) is outside [0, 4)", m);
                    m = assertThrows(IllegalArgumentException.class,
                        () -> be.readIndices(mine, 0, new int[2], 0, 3)).getMessage();
                    assertEquals("dst range [0, 3) is outside [0, 2)", m);
                    m = assertThrows(IllegalArgumentException.class,
                        () -> be.writeIndices(other, 0, new int[4], 0, 4)).getMessage();
                    assertTrue(m.startsWith("dst is a ") && m.contains("not an index buffer of"), m);
                    assertThrows(IllegalArgumentException.class, () -> be.allocateIndices(-1));
                    assertEquals("src must not be null", assertThrows(IllegalArgumentException.class,
                        () -> be.writeIndices(mine, 0, null, 0, 1)).getMessage());
                    assertEquals("dst must not be null", assertThrows(IllegalArgumentException.class,
                        () -> be.readIndices(mine, 0, null, 0, 1)).getMessage());
                }
            }
            IndexBuffer closed = cl.allocateIndices(2);
            closed.close();
            closed.close();
            assertThrows(IllegalStateException.class, () -> cl.readIndices(closed, 0, new int[2], 0, 2));
        }
    }
}
