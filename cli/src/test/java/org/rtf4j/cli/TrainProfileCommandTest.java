package org.rtf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --profile}: the step's host work as HOST rows beside the kernels of every op of the model; none without it. */
class TrainProfileCommandTest {
    @TempDir
    Path dir;

    private String[] train(String run, String... extra) {
        String[] base = {"train", "--task", "copying", "-o", "tokens=4", "-o", "alphabet=6", "--state", "4", "--channels",
            "4", "--steps", "2", "--eval-examples", "4", "--dropout", "0.1", "--threads", "1", "--no-progress", "--run",
            dir.resolve(run).toString()};
        String[] a = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, a, base.length, extra.length);
        return InProcess.run(a);
    }

    @Test
    void profileShowsHostOpsBesideTheKernels() {
        String[] r = train("a", "--profile");
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("HOST rows: the training step's host work"), r[1]);
        for (String op : new String[] {"adamw", "loss", "batch", "ssm.forward.other"}) {
            assertTrue(r[1].matches("(?s).*\\nHOST +" + java.util.regex.Pattern.quote(op) + " +[1-9].*"), op + ":\n" + r[1]);
        }
        // every op of the model is a kernel of the backend
        for (String k : new String[] {"fftConv", "gemm", "layerNormBackward", "gluBackward", "gelu", "dropoutBackward",
            "embedding", "crossEntropy", "adamW"}) {
            assertTrue(r[1].matches("(?s).*\\nKERNEL +" + k + " +[1-9].*"), k + ":\n" + r[1]);
        }

        String[] plain = train("b");
        assertEquals("0", plain[0], plain[1] + plain[2]);
        assertFalse(plain[1].contains("HOST"), plain[1]);
    }
}
