package org.rtf4j.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jocl.CL;
import org.jocl.cl_event;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.KernelId;
import org.rtf4j.kernels.backend.PendingRead;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.profile.Profiler;
import org.rtf4j.kernels.spectral.ConvShape;
import org.rtf4j.kernels.testing.OpenClTesting;

/**
 * The OpenCL backend queues kernels, writes, device copies and fills without waiting; a blocking read is
 * its one host wait, deferred reads deliver at {@code await()} (waiting only when not yet complete), the
 * pending list stays bounded, and a failed queued command surfaces at the next wait in one line.
 */
class HostWaitsTest {
    private static OpenClBackend cl;

    @BeforeAll
    static void up() {
        cl = OpenClTesting.backend();
    }

    @AfterAll
    static void down() {
        if (cl != null) {
            cl.close();
        }
    }

    /** The names of the host waits since the last reset, one per wait. */
    private static List<String> waits() {
        Profiler p = cl.runtime().profiler;
        List<String> out = new java.util.ArrayList<>();
        for (Profiler.Entry e : p.waitSummary()) {
            for (long i = 0; i < e.count(); i++) {
                out.add(e.name());
            }
        }
        assertEquals(out.size(), p.hostWaits());
        return out;
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void writesKernelsCopiesAndFillsQueueAndTheReadIsTheOneWait(Precision p) {
        OpenClTesting.assumeFloat64(cl, p);
        ConvShape s = ConvShape.of(2, 3, 40, false, cl);
        try (DeviceBuffer k = cl.allocate(p, s.kernelLength()); DeviceBuffer u = cl.allocate(p, s.signalLength());
             DeviceBuffer y = cl.allocate(p, s.signalLength()); DeviceBuffer ks = cl.allocate(p, s.kernelSpectrumLength());
             DeviceBuffer us = cl.allocate(p, s.signalSpectrumLength())) {
            double[] kv = new double[s.kernelLength()];
            double[] uv = new double[s.signalLength()];
            for (int i = 0; i < uv.length; i++) {
                uv[i] = Math.sin(i);
            }
            for (int h = 0; h < 3; h++) {
                kv[h * 40] = 2;
            }
            cl.profiler().reset();
            cl.write(k, 0, kv, 0, kv.length);
            cl.write(u, 0, uv, 0, uv.length);
            // the host arrays may be reused as soon as write returns: the values were staged
            java.util.Arrays.fill(uv, 7);
            cl.zero(y);
            cl.fftConv(s, k, null, u, y, ks, us);
            cl.fftComplex(8, 1, us, false);
            assertEquals(List.of(), waits(), "nothing waited yet");
            assertTrue(cl.runtime().pendingCommands() > 3, "commands queued: " + cl.runtime().pendingCommands());
            double[] out = new double[uv.length];
            cl.read(y, 0, out, 0, out.length);
            assertEquals(List.of("read"), waits());
            assertEquals(0, cl.runtime().pendingCommands(), "the read completed everything before it");
            for (int i = 0; i < out.length; i++) {
                assertEquals(2 * Math.sin(i), out[i], p == Precision.F64 ? 1e-12 : 1e-5, "y[" + i + "]");
            }
            OpenClTesting.assertRanOnDevice(cl, 0);
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void aDeferredReadTakesTheValuesOfItsPlaceInTheQueueAndArrivesAtAwait(Precision p) {
        OpenClTesting.assumeFloat64(cl, p);
        try (DeviceBuffer b = cl.allocate(p, 6)) {
            cl.write(b, 0, new double[] {1, 2, 3, 4, 5, 6}, 0, 6);
            cl.profiler().reset();
            double[] got = {-1, -1, -1, -1, -1};
            double[] sum = {10, 20, 30, 40, 50};
            PendingRead r = cl.readLater(b, 1, got, 1, 3);
            PendingRead a = cl.readAddLater(b, 2, sum, 0, 4);
            // later calls may overwrite the buffer at once
            cl.write(b, 0, new double[] {9, 9, 9, 9, 9, 9}, 0, 6);
            assertEquals(List.of(), waits());
            r.await();
            assertEquals(List.of("readLater"), waits(), "the first await waits for everything queued");
            assertTrue(a.complete());
            a.await();
            r.await();
            assertEquals(List.of("readLater"), waits(), "awaits of complete reads do not wait");
            assertArrayEquals(new double[] {-1, 2, 3, 4, -1}, got, "the values at the read's place, into dst[1..4)");
            assertArrayEquals(new double[] {13, 24, 35, 46, 50}, sum, "added once, however often awaited");

            // after a blocking read, earlier deferred reads are complete
            cl.profiler().reset();
            double[] late = new double[2];
            PendingRead q = cl.readLater(b, 4, late, 0, 2);
            assertFalse(q.complete());
            cl.read(b, 0, new double[6], 0, 6);
            assertTrue(q.complete());
            q.await();
            assertArrayEquals(new double[] {9, 9}, late);
            assertEquals(List.of("read"), waits());
        }
    }

    @Test
    void aDeferredReadIsCheckedAsTheOtherTransfersAndOutlivesItsBuffer() {
        DeviceBuffer b = cl.allocate(Precision.F32, 4);
        double[] dst = new double[4];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cl.readLater(b, 2, dst, 0, 3));
        assertEquals("src range [2, 5) is outside [0, 4)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> cl.readAddLater(b, 0, dst, 3, 2));
        assertEquals("dst range [3, 5) is outside [0, 4)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> cl.readLater(b, 0, null, 0, 1));
        assertEquals("dst must not be null", e.getMessage());
        assertEquals(PendingRead.DONE, cl.readLater(b, 4, dst, 4, 0), "nothing to read");
        cl.write(b, 0, new float[] {1, 2, 3, 4}, 0, 4);
        PendingRead r = cl.readLater(b, 0, dst, 0, 4);
        b.close();
        r.await();
        assertArrayEquals(new double[] {1, 2, 3, 4}, dst, "a buffer closed after readLater still delivers");
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> cl.readLater(b, 0, dst, 0, 1));
        assertEquals("src is closed", closed.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void transfersLongerThanAStagingPieceGoInPieces(Precision p) {
        OpenClTesting.assumeFloat64(cl, p);
        ClRuntime rt = cl.runtime();
        // 24-byte pieces: 3 float64 or 6 float32 values each, so 20 values take several pieces and a short one
        rt.transfers.setStagingChunk(24);
        try (DeviceBuffer b = cl.allocate(p, 25)) {
            double[] src = new double[22];
            float[] srcF = new float[22];
            for (int i = 0; i < src.length; i++) {
                src[i] = i + 1;
                srcF[i] = -(i + 1);
            }
            cl.write(b, 2, src, 1, 20);
            double[] got = new double[23];
            PendingRead r = cl.readLater(b, 0, got, 1, 22);
            double[] sum = new double[22];
            java.util.Arrays.fill(sum, 100);
            PendingRead a = cl.readAddLater(b, 2, sum, 2, 20);
            cl.write(b, 3, srcF, 0, 21);
            float[] back = new float[25];
            cl.read(b, 0, back, 0, 25);
            r.await();
            a.await();
            for (int i = 0; i < 20; i++) {
                assertEquals(i + 2, got[3 + i], "got[" + (3 + i) + "]");
                assertEquals(100 + i + 2, sum[2 + i], "sum[" + (2 + i) + "]");
                assertEquals(-(i + 1), back[3 + i], "back[" + (3 + i) + "]");
            }
            assertArrayEquals(new double[] {0, 0, 0}, java.util.Arrays.copyOf(got, 3), "b[0..2) and got[0] untouched");
            assertArrayEquals(new double[] {100, 100}, java.util.Arrays.copyOf(sum, 2), "outside the added range");
        } finally {
            rt.transfers.setStagingChunk(ClTransfers.STAGING_CHUNK);
        }
    }

    @Test
    void thePendingListStaysBounded() {
        try (DeviceBuffer b = cl.allocate(Precision.F32, 4)) {
            for (int i = 0; i < ClRuntime.MAX_PENDING + 100; i++) {
                cl.zero(b);
                assertTrue(cl.runtime().pendingCommands() <= ClRuntime.MAX_PENDING,
                    "pending " + cl.runtime().pendingCommands() + " after " + i + " fills");
            }
            cl.read(b, 0, new float[4], 0, 4);
            assertEquals(0, cl.runtime().pendingCommands());
        }
    }

    @Test
    void aFailedQueuedCommandSurfacesAtTheNextWaitInOneLineAndTheBackendGoesOn() {
        ClRuntime rt = cl.runtime();
        try (DeviceBuffer b = cl.allocate(Precision.F32, 8)) {
            double[] early = new double[8];
            cl.write(b, 0, new double[] {1, 2, 3, 4, 5, 6, 7, 8}, 0, 8);
            PendingRead before = cl.readLater(b, 0, early, 0, 8);
            // a command that fails on the device: a user event set to an error status, as a kernel of fftConv
            cl_event ev = CL.clCreateUserEvent(rt.context(), null);
            rt.within(KernelId.FFT_CONV, () -> rt.queued(ev, "KERNEL", "spectralMul", 0, null, null));
            double[] late = new double[8];
            PendingRead after = cl.readLater(b, 0, late, 0, 8);
            CL.clSetUserEventStatus(ev, CL.CL_OUT_OF_RESOURCES);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> cl.read(b, 0, new double[8], 0, 8));
            String m = e.getMessage();
            assertTrue(m.startsWith("device out of memory on " + cl.device().name() + " reading 32 bytes: "), m);
            assertTrue(m.contains("failed: fftConv/spectralMul CL_OUT_OF_RESOURCES"), m);
            assertFalse(m.contains("\n"), "one line: " + m);
            // reads queued before the failure completed; the rest fail with the same message
            before.await();
            assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, early);
            assertEquals(0, rt.pendingCommands());
            // the read queued after the failed command is over either way: failed with the same message (PoCL
            // fails the rest of an in-order queue), or complete with the buffer's contents; never pending or empty
            assertTrue(after.complete(), "a read queued after the failure is still pending");
            try {
                after.await();
                assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, late);
            } catch (IllegalStateException x) {
                assertEquals(m, x.getMessage());
            }
            // nothing is left pending: the backend goes on
            double[] again = new double[8];
            cl.write(b, 0, new double[] {8, 7, 6, 5, 4, 3, 2, 1}, 0, 8);
            cl.read(b, 0, again, 0, 8);
            assertArrayEquals(new double[] {8, 7, 6, 5, 4, 3, 2, 1}, again);
        }
    }
}
