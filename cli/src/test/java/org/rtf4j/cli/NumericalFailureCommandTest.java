package org.rtf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rtf4j.formats.DType;
import org.rtf4j.formats.SafeTensors;
import org.rtf4j.formats.Tensor;

/** A layer's numerical failure reaches the user as one line and exit code 2, like bad input. */
class NumericalFailureCommandTest {
    @TempDir
    Path dir;

    @Test
    void aDenominatorOnTheUnitCircleIsOneLineWithExitCode2() {
        // H = 1, N = 1: a(z) = 1 - z^-1 vanishes at z = 1 (bin 0)
        Map<String, Tensor> w = new LinkedHashMap<>();
        w.put("ab", Tensor.of("ab", DType.F64, new double[] {-1.0, 1.0}, 2, 1));
        w.put("h_0", Tensor.of("h_0", DType.F64, new double[] {0.5}, 1));
        Path weights = dir.resolve("w.safetensors");
        SafeTensors.write(weights, w, Map.of("format", "pt"));
        Path out = dir.resolve("k.npy");
        String[] r = InProcess.run("layer", "kernel", "--kind", "rtf", "--weights", weights.toString(), "--channels", "1",
            "--length", "8", "--output", out.toString(), "--threads", "1");
        assertEquals("2", r[0], r[1] + r[2]);
        String err = r[2].strip();
        assertTrue(err.startsWith("rtf4j: denominator forward row 0 (channels 0..0)"), err);
        assertTrue(err.contains("at bin k=0"), err);
        assertFalse(err.contains("\n"), "one line: " + err);
        assertFalse(err.contains("Exception"), "no stack trace: " + err);
        assertFalse(Files.exists(out), "no output written");
    }
}
