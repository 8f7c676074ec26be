package org.rtf4j.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The launch planner on the published limits of real GPUs ({@link GpuTable}), no device needed: free
 * launches at awkward extents get a work-group within every cap, a multiple of the preferred width where
 * the cap allows, and a global size that covers the extent and is a multiple of the work-group; fixed
 * launches outside the limits are refused in one line.
 */
class LaunchPlannerTest {
    private static final long[] EXTENTS = {1, 2, 3, 31, 33, 255, 257, 1000, 1025, 2049, 4097, 65537, 1L << 20};

    static Stream<GpuTable> devices() {
        return GpuTable.DEVICES.stream();
    }

    @ParameterizedTest
    @MethodSource("devices")
    void freeLaunchesRespectEveryCap(GpuTable gpu) {
        LaunchPlanner.KernelLimits k = gpu.kernel();
        for (long e0 : EXTENTS) {
            for (long e1 : new long[] {1, 7, 4096}) {
                LaunchPlanner.Plan p = LaunchPlanner.free("k", gpu.limits(), k, new long[] {e0, e1}, 0);
                String what = gpu + " extents (" + e0 + ", " + e1 + "): " + p;
                long l0 = p.local()[0];
                assertTrue(l0 >= 1 && l0 <= LaunchPlanner.TARGET_GROUP, what);
                assertTrue(l0 <= gpu.limits().maxWorkGroup() && l0 <= gpu.limits().maxWorkItemSizeX() && l0 <= k.workGroup(), what);
                assertEquals(1, p.local()[1], what);
                assertEquals(0, p.global()[0] % l0, what);
                assertTrue(p.global()[0] >= e0 && p.global()[0] < e0 + l0, what);
                assertEquals(e1, p.global()[1], what);
                // the preferred width, unless the extent is smaller than one width
                assertTrue(l0 % gpu.multiple() == 0 || e0 < gpu.multiple(), what);
                // no group wider than needed: less than one width of idle work items past the extent
                assertTrue(l0 <= LaunchPlanner.roundUp(e0, gpu.multiple()), what);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void largeExtentsGetTheTargetGroupOrTheCap(GpuTable gpu) {
        LaunchPlanner.Plan p = LaunchPlanner.free("k", gpu.limits(), gpu.kernel(), new long[] {1L << 20}, 0);
        long cap = Math.min(LaunchPlanner.TARGET_GROUP, Math.min(gpu.limits().groupCap(), gpu.kernel().workGroup()));
        assertEquals(cap - cap % gpu.multiple(), p.local()[0], gpu.toString());
    }

    @Test
    void fixedLaunchesOutsideTheLimitsAreRefusedInOneLine() {
        GpuTable amd = GpuTable.DEVICES.get(2);
        LaunchPlanner.KernelLimits k = amd.kernel();
        String tooWide = assertThrows(IllegalStateException.class,
            () -> LaunchPlanner.fixed("fftLocal", amd.limits(), k, new long[] {1024, 4}, new long[] {512, 1}, 0)).getMessage();
        assertEquals("kernel fftLocal: work-group [512, 1] exceeds the cap 256 (device 256, dimension 0 1024, kernel 256)", tooWide);
        String ragged = assertThrows(IllegalStateException.class,
            () -> LaunchPlanner.fixed("fftLocal", amd.limits(), k, new long[] {1000}, new long[] {128}, 0)).getMessage();
        assertEquals("kernel fftLocal: global size [1000] is not a multiple of the work-group [128]", ragged);
        String local = assertThrows(IllegalStateException.class,
            () -> LaunchPlanner.fixed("fftLocal", amd.limits(), k, new long[] {256}, new long[] {256}, (64 << 10) + 8)).getMessage();
        assertEquals("kernel fftLocal: needs 65544 bytes of local memory, the device has 65536", local);
        LaunchPlanner.Plan ok = LaunchPlanner.fixed("fftLocal", amd.limits(), k, new long[] {1024, 3}, new long[] {256, 1}, 64 << 10);
        assertEquals(64 << 10, ok.localBytes());
        for (String m : new String[] {tooWide, ragged, local}) {
            assertTrue(!m.contains("\n"), m);
        }
    }

    @Test
    void aKernelsStaticLocalMemoryCounts() {
        GpuTable nv = GpuTable.DEVICES.get(0);
        LaunchPlanner.KernelLimits k = new LaunchPlanner.KernelLimits(1024, 32, 40 << 10);
        assertThrows(IllegalStateException.class,
            () -> LaunchPlanner.fixed("k", nv.limits(), k, new long[] {256}, new long[] {256}, 16 << 10));
        assertEquals(48 << 10, LaunchPlanner.fixed("k", nv.limits(), k, new long[] {256}, new long[] {256}, 8 << 10).localBytes());
    }
}
