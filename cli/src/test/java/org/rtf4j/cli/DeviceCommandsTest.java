package org.rtf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rtf4j.kernels.testing.OpenClTesting;

/** devices, profile and --backend opencl --profile in-process (device required; skipped without OpenCL, failed under CI). */
class DeviceCommandsTest {
    @TempDir
    Path dir;

    @Test
    void devicesProfileAndDemoOnTheDevice() throws Exception {
        OpenClTesting.backend().close();
        String[] r = InProcess.run("devices");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("opencl [0:0]") && r[1].contains("fp64"), r[1]);
        Path trace = dir.resolve("t.json");
        r = InProcess.run("profile", "--kind", "s4", "--batch", "1", "--channels", "2", "--state", "4", "--length", "64",
            "--repeats", "1", "--warmup", "0", "--trace", trace.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("KERNEL          cauchy") && r[1].contains("device time") && r[1].contains("of wall time"), r[1]);
        assertTrue(Files.size(trace) > 100);
        r = InProcess.run("demo", "--kinds", "rtf", "--backend", "opencl", "--batch", "1", "--channels", "2",
            "--state", "4", "--length", "64", "--repeats", "1", "--profile");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("backend opencl") && r[1].contains("device profile") && r[1].contains("bytes host->device"), r[1]);
        r = InProcess.run("demo", "--backend", "opencl", "--device", "no-such-device");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("no OpenCL device matches") && r[2].contains("available:"), r[2]);
    }
}
