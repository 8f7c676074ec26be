package org.rtf4j.kernels.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Host waits (kind WAIT) are counted and shown apart from the commands: not launches, not in the command
 * summary whose total is device time, a line of their own in the table and a track of their own in the trace.
 */
class ProfilerTest {
    @Test
    void hostWaitsAreCountedApartFromTheCommands() throws Exception {
        Profiler p = new Profiler();
        p.setTracing(true);
        p.record(new ProfileRecord("KERNEL", "spectralMul", "fftConv", 0, 10, 20, 120, 0));
        p.record(new ProfileRecord("COPY_TO_HOST", "read", "", 120, 130, 140, 150, 64));
        p.record(new ProfileRecord(ProfileRecord.WAIT, "read", "", 50, 50, 50, 150, 0));
        p.record(new ProfileRecord(ProfileRecord.WAIT, "read", "", 160, 160, 160, 190, 0));

        assertEquals(1, p.kernelLaunches());
        assertEquals(2, p.hostWaits());
        assertEquals(List.of("KERNEL:spectralMul", "COPY_TO_HOST:read"),
            p.summary().stream().map(e -> e.kind() + ":" + e.name()).toList());
        assertEquals(110, p.summary().stream().mapToLong(Profiler.Entry::totalNanos).sum(), "device time only");
        assertEquals(List.of(new Profiler.Entry(ProfileRecord.WAIT, "read", 2, 130)), p.waitSummary());
        String table = p.table();
        assertTrue(table.contains("WAIT            read                                2       0.000       0.07    host"),
            table);
        assertTrue(table.endsWith("launches 1, host waits 2" + System.lineSeparator()), table);

        StringWriter w = new StringWriter();
        p.writeChromeTrace(w, "test");
        assertTrue(w.toString().contains("\"name\":\"read\",\"cat\":\"WAIT\",\"ph\":\"X\",\"pid\":1,\"tid\":3,"), w.toString());
        assertEquals(4, p.events().size());

        p.reset();
        assertEquals(0, p.hostWaits());
        assertEquals(List.of(), p.waitSummary());
    }
}
