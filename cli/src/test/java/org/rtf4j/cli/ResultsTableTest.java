package org.rtf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recorded-results tables of README.md and results/README.md are the one {@code results/summarize.sh}
 * makes from results/NAME/metrics.csv, and the script's {@code --check} and {@code --write} do what they say.
 */
class ResultsTableTest {
    private static final Path ROOT = Paths.get(System.getProperty("rtf4j.root", "..")).toAbsolutePath().normalize();
    private static final String MARKER = "<!-- results table: written by bash results/summarize.sh --write -->";

    private record Run(int code, String out, String err) {
    }

    private static Run bash(Path script, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(script + " did not finish");
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void bothRecordedTablesAreTheGeneratedOne() throws Exception {
        Run r = bash(ROOT.resolve("results").resolve("summarize.sh"), "--check");
        assertEquals(0, r.code(), r.err());
    }

    /** A repository in miniature: the script, one run with its metrics, and the two files with a table. */
    private static Path miniature(Path dir, String readme, String resultsReadme) throws IOException {
        Path results = Files.createDirectories(dir.resolve("results"));
        Path script = Files.copy(ROOT.resolve("results").resolve("summarize.sh"), results.resolve("summarize.sh"));
        Path run = Files.createDirectories(results.resolve("delay-x"));
        Files.writeString(run.resolve("command.txt"), "./rtf4j train --task delay --steps 30 --run results/delay-x\n");
        Files.writeString(run.resolve("metrics.csv"), String.join("\n",
            "kind,step,epoch,loss,accuracy,rmse,lr,grad_norm,examples,seconds",
            "train,10,0.5,0.25,,0.5,0.001,1.5,32,1.5",
            "eval,10,,0.125,,0.35355339,,,64,2.25",
            "train,20,1.0,0.0625,,0.25,0.001,1.25,32,3.75", ""));
        Files.createDirectories(results.resolve("failed"));   // a folder without metrics is no run
        Files.writeString(dir.resolve("README.md"), readme);
        Files.writeString(results.resolve("README.md"), resultsReadme);
        return script;
    }

    private static final String TABLE = String.join("\n",
        "| run | steps done / planned | test loss | test accuracy | test RMSE | examples | wall time (s, this machine) |",
        "|---|---|---|---|---|---|---|",
        "| delay-x | 10 / 30 | 0.12500 |  | 0.3536 | 64 | 3.75 |", "");

    @Test
    void checkNamesAStaleTableAndWriteReplacesOnlyTheTables(@TempDir Path dir) throws Exception {
        String readme = "# R\n\n" + MARKER + "\n| run |\n|---|\n| delay-x | old |\n\nText after the table.\n";
        Path script = miniature(dir, readme, "Runs\n\n" + MARKER + "\n");

        Run check = bash(script, "--check");
        assertEquals(1, check.code(), check.err());
        assertTrue(check.err().contains("the table in README.md differs"), check.err());
        assertTrue(check.err().contains("the table in results/README.md differs"), check.err());
        assertTrue(check.err().contains("< | delay-x | old |"), check.err());

        assertEquals(0, bash(script, "--write").code());
        assertEquals("# R\n\n" + MARKER + "\n" + TABLE + "\nText after the table.\n",
            Files.readString(dir.resolve("README.md")));
        assertEquals("Runs\n\n" + MARKER + "\n" + TABLE, Files.readString(dir.resolve("results").resolve("README.md")));
        Run again = bash(script, "--check");
        assertEquals(0, again.code(), again.err());
        assertEquals(TABLE, bash(script).out());
    }

    @Test
    void aFileWithoutTheMarkerFailsTheCheckByName(@TempDir Path dir) throws Exception {
        Path script = miniature(dir, MARKER + "\n" + TABLE, "A table pasted without the marker:\n" + TABLE);
        Run check = bash(script, "--check");
        assertEquals(1, check.code(), check.err());
        assertEquals("summarize.sh: results/README.md has no line " + MARKER + "\n", check.err());
        Run write = bash(script, "--write");
        assertEquals(1, write.code(), write.err());
        assertTrue(write.err().contains("results/README.md has no line"), write.err());
    }
}
