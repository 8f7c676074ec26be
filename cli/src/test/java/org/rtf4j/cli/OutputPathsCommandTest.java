package org.rtf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output locations are checked before a command does its work, and a refusal is one line naming the
 * option: the output policy of {@code OutputFiles} as the commands apply it.
 */
class OutputPathsCommandTest {
    @TempDir
    Path dir;

    private static void assertRefusedInOneLine(String[] r, String expected) {
        assertEquals("2", r[0], "exit code; stdout: " + r[1] + " stderr: " + r[2]);
        String err = r[2].strip();
        assertFalse(err.contains("\n"), "one line expected: " + err);
        assertFalse(err.contains("Exception"), err);
        assertTrue(err.contains(expected), "expected '" + expected + "' in: " + err);
    }

    @Test
    void studyRefusesAFileAsItsFolderBeforeRunning() throws Exception {
        Path file = dir.resolve("results.txt");
        Files.writeString(file, "user data");
        String[] r = InProcess.run("study", "--preset", "quick", "--out", file.toString());
        assertRefusedInOneLine(r, "--out " + file + " must be a directory, but it is a regular file");
        assertFalse(r[1].contains("cases"), "the study started before its output was checked: " + r[1]);
        assertEquals("user data", Files.readString(file));
    }

    @Test
    void studyRefusesAnOutputNameTakenByADirectory() throws Exception {
        Files.createDirectories(dir.resolve("out/study.csv"));
        String[] r = InProcess.run("study", "--preset", "quick", "--out", dir.resolve("out").toString());
        assertRefusedInOneLine(r, "study.csv is a directory");
        assertFalse(r[1].contains("cases"), r[1]);
    }

    @Test
    void layerRunRefusesOneFileForBothOutputsBeforeReadingAnything() {
        Path same = dir.resolve("both.safetensors");
        String[] r = InProcess.run("layer", "run", "--kind", "rtf", "--weights", dir.resolve("missing-w.safetensors").toString(),
            "--input", dir.resolve("missing-u.npy").toString(), "--output", same.toString(),
            "--grad-output", dir.resolve("missing-g.npy").toString(), "--grads-out", dir.resolve("x/../both.safetensors").toString());
        assertRefusedInOneLine(r, "--output and --grads-out must name different files");
        assertFalse(Files.exists(same));
    }

    @Test
    void layerExportRefusesADirectoryAndFollowsALink() throws Exception {
        Path d = Files.createDirectory(dir.resolve("w.safetensors"));
        String[] r = InProcess.run("layer", "export", "--kind", "rtf", "--channels", "4", "--state", "2", "--length", "16",
            "--output", d.toString());
        assertRefusedInOneLine(r, "--output " + d + " is a directory");

        Path real = dir.resolve("real.safetensors");
        Path link = Files.createSymbolicLink(dir.resolve("link.safetensors"), real);
        r = InProcess.run("layer", "export", "--kind", "rtf", "--channels", "4", "--state", "2", "--length", "16",
            "--output", link.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(Files.isSymbolicLink(link), "the link was replaced");
        assertTrue(Files.size(real) > 0);
    }

    @Test
    void trainRefusesAFileAsItsRunDirectory() throws Exception {
        Path file = dir.resolve("run");
        Files.writeString(file, "not a directory");
        String[] r = InProcess.run("train", "--steps", "2", "--run", file.toString());
        assertRefusedInOneLine(r, "--run " + file + " must be a directory, but it is a regular file");
        assertEquals("not a directory", Files.readString(file));
    }

    @Test
    void profileTraceIsCheckedBeforeTheWork() throws Exception {
        Path d = Files.createDirectory(dir.resolve("trace.json"));
        String[] r = InProcess.run("demo", "--kinds", "rtf", "--length", "128", "--profile", d.toString());
        assertRefusedInOneLine(r, "--profile " + d + " is a directory");
        assertFalse(r[1].contains("rtf:"), "the demo ran before its trace path was checked: " + r[1]);
    }
}
