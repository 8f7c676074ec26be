package org.rtf4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rtf4j.train.Checkpoints;

/** train, eval and their errors, in-process on tiny generated tasks. */
class TrainCommandTest {
    @TempDir
    Path dir;

    private static String[] run(String... args) {
        return InProcess.run(args);
    }

    @Test
    void trainsPrintsTheCurveWritesMetricsAndEvalReproducesTheFinalScore() throws Exception {
        Path run = dir.resolve("run");
        String[] r = run("train", "--task", "copying", "-o", "tokens=8", "-o", "alphabet=6", "--state", "12",
            "--channels", "16", "--steps", "120", "--eval-every", "40", "--eval-examples", "64", "--threads", "1",
            "--no-progress", "--run", run.toString());
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("task copying {alphabet=6, tokens=8} | rtf x2 H=16 N=12"), r[1]);
        Matcher m = Pattern.compile("(?m)^\\s+(40|80|120)\\s+([0-9.]+)\\s+([0-9.]+)\\s+acc\\s+([0-9.]+)%").matcher(r[1]);
        int rows = 0;
        double acc = 0;
        while (m.find()) {
            rows++;
            acc = Double.parseDouble(m.group(4));
        }
        assertEquals(3, rows, r[1]);
        assertTrue(acc > 90, "a tiny copying task is learnt in 120 steps: " + r[1]);
        List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals("kind,step,epoch,loss,accuracy,rmse,lr,grad_norm,examples,seconds", csv.get(0));
        assertEquals(1 + 120 + 3, csv.size());
        assertEquals(120 + 3, Files.readAllLines(run.resolve("metrics.jsonl")).size(), "no header in JSONL");

        String[] e = run("eval", "--run", run.toString(), "--examples", "64", "--threads", "1");
        assertEquals("0", e[0], e[1] + e[2]);
        String finalLine = r[1].substring(r[1].indexOf("final test"));
        String score = finalLine.substring(finalLine.indexOf("loss"), finalLine.indexOf(" (64 examples)"));
        assertTrue(e[1].contains("(step 120): test " + score), e[1] + " vs " + finalLine);

        String[] again = run("train", "--task", "copying", "-o", "tokens=8", "-o", "alphabet=6", "--state", "12",
            "--channels", "16", "--steps", "120", "--eval-every", "40", "--eval-examples", "64", "--threads", "1",
            "--no-progress", "--run", run.toString());
        assertEquals("0", again[0], again[2]);
        assertTrue(again[1].contains("resumed from") && again[1].contains("is complete (step 120)"), again[1]);
    }

    @Test
    void badArgumentsAreOneClearLine() {
        String[] r = run("train", "--model", "lstm", "--steps", "1");
        assertEquals("2", r[0]);
        assertEquals("rtf4j: --model must be rtf, s4d or s4, got lstm", r[2].trim());
        r = run("train", "--task", "copying", "-o", "tokens=many", "--steps", "1", "--run", dir.resolve("x").toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("tokens") && r[2].contains("many"), r[2]);
        r = run("train", "--task", "smnist", "--data", dir.resolve("empty").toString(), "--steps", "1");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("setup-data mnist"), r[2]);
        r = run("eval", "--run", dir.resolve("nothing").toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("no checkpoint"), r[2]);
    }

    /** stderr is one line "rtf4j: ..." with no stack trace. */
    private static String oneLine(String[] r) {
        assertEquals("2", r[0], r[1] + r[2]);
        String err = r[2].strip();
        assertTrue(err.startsWith("rtf4j: ") && !err.contains("\n") && !err.contains("Exception"), err);
        return err;
    }

    @Test
    void unreadableCheckpointsAreRefusedAndKeptUnlessFresh() throws Exception {
        Path run = dir.resolve("run");
        String[] train = {"train", "--task", "copying", "-o", "tokens=4", "-o", "alphabet=6", "--layers", "1",
            "--channels", "8", "--state", "4", "--batch", "4", "--steps", "2", "--checkpoint-every", "1",
            "--eval-examples", "4", "--threads", "1", "--no-progress", "--run", run.toString()};
        assertEquals("0", run(train)[0]);
        Path newest = run.resolve("checkpoint-000000002.safetensors");
        Path older = run.resolve("checkpoint-000000001.safetensors");
        Files.write(newest, Arrays.copyOf(Files.readAllBytes(newest), 100));
        Files.write(older, new byte[0]);
        byte[] newestBytes = Files.readAllBytes(newest);
        byte[] metrics = Files.readAllBytes(run.resolve("metrics.csv"));

        String err = oneLine(run(train));
        assertTrue(err.startsWith("rtf4j: run directory " + run + " holds no readable checkpoint: "
            + "checkpoint-000000002.safetensors (") && err.contains("; checkpoint-000000001.safetensors (file has 0 bytes")
            && err.endsWith("; nothing was changed: --fresh starts over (deleting them)"), err);
        assertArrayEquals(newestBytes, Files.readAllBytes(newest), "the torn file is left as it was");
        assertEquals(0, Files.size(older));
        assertArrayEquals(metrics, Files.readAllBytes(run.resolve("metrics.csv")));

        err = oneLine(run("eval", "--run", run.toString()));
        assertTrue(err.contains("holds no readable checkpoint") && !err.contains("--fresh"), err);

        err = oneLine(run("eval", "--checkpoint", newest.toString()));
        assertTrue(err.startsWith("rtf4j: " + newest + ": "), err);

        String[] fresh = Arrays.copyOf(train, train.length + 1);
        fresh[train.length] = "--fresh";
        String[] r = run(fresh);
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("2 steps from 0"), r[1]);
        assertEquals(2, Checkpoints.list(run).size());
        assertTrue(Checkpoints.read(newest).step() == 2, "a new run wrote the checkpoints again");
    }
}
