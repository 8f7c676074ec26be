package org.rtf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code profile --backend jvm} and {@code demo --profile} on the JVM backend: kernel tables, the time split, a trace. */
class JvmProfileCommandTest {
    @TempDir
    Path dir;

    @Test
    void profilesEachKindKernelByKernel() throws Exception {
        Path trace = dir.resolve("t.json");
        String[] r = InProcess.run("profile", "--backend", "jvm", "--threads", "1", "--kind", "rtf", "--batch", "2",
            "--channels", "3", "--state", "4", "--length", "127", "--repeats", "2", "--warmup", "0", "--trace",
            trace.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("2 x forward+backward after 3 warm-up passes"), r[1]);
        assertTrue(r[1].contains("KERNEL          rationalSpectrum ") && r[1].contains("rationalSpectrumBackward")
            && r[1].contains("fftConvBackward") && r[1].contains("kernel time") && r[1].contains("of wall time"), r[1]);
        assertTrue(Files.readString(trace).contains("\"name\":\"fftConv\""));
        r = InProcess.run("profile", "--backend", "jvm", "--kind", "s4d", "--channels", "2", "--length", "64",
            "--warmup", "0.2");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("vandermondeBackward"), r[1]);
        // float64 layers are called with double[] host arrays
        r = InProcess.run("profile", "--backend", "jvm", "--kind", "rtf", "--precision", "F64", "--channels", "2", "--state", "4",
            "--length", "17", "--bidirectional", "--warmup", "0");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("bidirectional") && r[1].contains("F64") && r[1].contains("fftConvBackward"), r[1]);
        r = InProcess.run("demo", "--kinds", "s4", "--batch", "1", "--channels", "2", "--state", "4", "--length", "64",
            "--repeats", "1", "--profile");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("kernel profile (JVM") && r[1].contains("cauchyBackward"), r[1]);
        r = InProcess.run("profile", "--backend", "jvm", "--device", "x");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("do not apply to --backend jvm"), r[2]);
        r = InProcess.run("profile", "--backend", "jvm", "--warmup", "-1");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("rtf4j: --warmup must be in [0, 600] seconds, got -1"), r[2]);
    }
}
