package org.rtf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rtf4j.train.Checkpoints;

/**
 * {@code ./rtf4j train} killed (SIGKILL) while it writes a checkpoint at every step, several times over:
 * after each kill the newest checkpoint on disk loads, and the run resumes from it to the end, with one
 * continuous metrics curve.
 */
class TrainKillIT {
    @TempDir
    Path dir;

    static Process start(Path run, String... extra) throws Exception {
        Path root = Paths.get(System.getProperty("rtf4j.root", "..")).toAbsolutePath().normalize();
        List<String> cmd = new ArrayList<>(List.of(root.resolve("rtf4j").toString(), "train", "--task", "copying",
            "-o", "tokens=4", "-o", "alphabet=6", "--layers", "1", "--channels", "64", "--state", "6", "--batch", "4",
            "--steps", "400", "--eval-every", "400", "--eval-examples", "8", "--checkpoint-every", "1", "--threads", "1",
            "--run", run.toString()));
        cmd.addAll(List.of(extra));
        return new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true)
            .redirectOutput(run.resolveSibling("train.log").toFile()).start();
    }

    @Test
    void killedWhileSavingLeavesALoadableCheckpointAndResumes() throws Exception {
        Path run = dir.resolve("run");
        long lastStep = -1;
        for (int kill = 0; kill < 3; kill++) {
            Process p = start(run);
            // wait until this process has saved at least two new checkpoints, then kill it mid-stream
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (System.nanoTime() < deadline) {
                List<Path> ck = Checkpoints.list(run);
                if (!ck.isEmpty() && step(ck.get(0)) >= lastStep + 2 + kill) {
                    break;
                }
                if (!p.isAlive()) {
                    throw new AssertionError("train exited with " + p.exitValue() + " before it was killed:\n"
                        + Files.readString(run.resolveSibling("train.log"), StandardCharsets.UTF_8));
                }
                Thread.sleep(5);
            }
            Thread.sleep(17L * kill);
            p.destroyForcibly().waitFor(1, TimeUnit.MINUTES);
            assertFalse(p.isAlive());
            List<Path> ck = Checkpoints.list(run);
            assertFalse(ck.isEmpty(), "a checkpoint survives kill " + kill);
            Checkpoints.Loaded l = Checkpoints.latest(run, m -> { }).orElseThrow();
            assertTrue(l.step() > lastStep, "progress after kill " + kill + ": " + l.step() + " > " + lastStep);
            lastStep = l.step();
        }
        Process p = start(run);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "resumed run finishes");
        String log = Files.readString(run.resolveSibling("train.log"), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), log);
        assertTrue(log.contains("resumed from"), log);
        List<String> lines = Files.readAllLines(run.resolve("metrics.csv"));
        long expected = 1;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            if (f[0].equals("train")) {
                assertEquals(expected, Long.parseLong(f[1]), "one continuous curve: " + line);
                expected++;
            }
        }
        assertEquals(401, expected);
    }

    private static long step(Path p) {
        String n = p.getFileName().toString();
        return Long.parseLong(n.substring("checkpoint-".length(), n.indexOf('.')));
    }
}
