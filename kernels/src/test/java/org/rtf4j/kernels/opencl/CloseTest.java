package org.rtf4j.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.testing.OpenClTesting;

/** {@code close()} reports the caller buffers still open, as Arrow's allocator does, and frees them. */
class CloseTest {
    private final Logger log = Logger.getLogger("org.rtf4j.backend");
    private final List<LogRecord> records = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                records.add(r);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        log.addHandler(handler);
    }

    @AfterEach
    void stopListening() {
        log.removeHandler(handler);
    }

    @Test
    void buffersStillOpenAreReportedInOneLineAndFreed() {
        OpenClBackend cl = OpenClTesting.backend();
        DeviceBuffer a = cl.allocate(Precision.F32, 100);
        DeviceBuffer b = cl.allocate(Precision.F32, 7);
        DeviceBuffer c = cl.allocate(Precision.F32, 3);
        c.close();
        // scratch and FFT tables are the backend's own: freed, never reported
        cl.fftComplex(12, 1, a, false);
        assertTrue(cl.liveBytes() > 4 * 107, "scratch and tables counted in liveBytes");
        cl.close();
        assertEquals(1, records.size(), "log lines: " + records.stream().map(LogRecord::getMessage).toList());
        String m = records.get(0).getMessage();
        assertTrue(m.contains("closed with 2 buffers still open (428 bytes), freed now: F32 x 100 from "
            + CloseTest.class.getName() + ".buffersStillOpenAreReportedInOneLineAndFreed:"), m);
        assertTrue(m.contains("; F32 x 7 from "), m);
        assertEquals(0, cl.liveBuffers());
        assertEquals(0, cl.liveBytes());
        assertNull(((ClBuffer) a).mem);
        assertNull(((ClBuffer) b).mem);
        a.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> cl.zero(b));
        assertEquals("backend opencl is closed", e.getMessage());
        cl.close();
        assertEquals(1, records.size(), "a second close reports nothing more");
    }

    @Test
    void aLongReportListsTheFirstBuffersAndCountsTheRest() {
        OpenClBackend cl = OpenClTesting.backend();
        for (int i = 1; i <= 10; i++) {
            cl.allocate(Precision.F32, i);
        }
        cl.close();
        String m = records.get(0).getMessage();
        assertTrue(m.contains("closed with 10 buffers still open (220 bytes)") && m.contains("F32 x 8 from")
            && !m.contains("F32 x 9 from") && m.endsWith("; and 2 more"), m);
    }

    @Test
    void closingWithEveryBufferClosedIsSilent() {
        OpenClBackend cl = OpenClTesting.backend();
        try (DeviceBuffer a = cl.allocate(Precision.F32, 16)) {
            cl.fftComplex(8, 1, a, false);
        }
        cl.close();
        assertEquals(List.of(), records);
        assertEquals(0, cl.liveBytes());
    }
}
