package org.rtf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rtf4j.formats.DType;
import org.rtf4j.formats.Npy;
import org.rtf4j.formats.Tensor;

/**
 * Every command with absurd sizes, counts and limits is refused with one line on stderr and exit code 2,
 * before any work: range checks name the option, the memory check names the sizes, the bytes and the heap.
 * In-process where the sizes are so absurd that only the estimate can answer (nothing is allocated); in a
 * JVM of 64 MiB heap where the answer depends on the heap.
 */
class HostileSizesTest {
    @TempDir
    static Path dir;

    private static Path rtfWeights;
    private static Path s4dWeights;
    private static Path input;

    @BeforeAll
    static void files() {
        rtfWeights = dir.resolve("rtf.safetensors");
        s4dWeights = dir.resolve("s4d.safetensors");
        for (String[] kw : new String[][] {{"rtf", rtfWeights.toString()}, {"s4d", s4dWeights.toString()}}) {
            String[] r = InProcess.run("layer", "export", "--kind", kw[0], "--channels", "4", "--state", "8", "--length", "64",
                "--output", kw[1]);
            assertEquals("0", r[0], r[2]);
        }
        input = dir.resolve("u.npy");
        Npy.write(input, Tensor.of("u", DType.F32, new double[4 * 64], 1, 4, 64));
    }

    private static List<String> args(String... a) {
        return List.of(a);
    }

    static Stream<List<String>> absurd() {
        String run = dir.resolve("run").toString();
        String w = rtfWeights.toString();
        String w4 = s4dWeights.toString();
        String k = dir.resolve("k.npy").toString();
        String y = dir.resolve("y.npy").toString();
        String x = dir.resolve("x.safetensors").toString();
        List<List<String>> c = new ArrayList<>();
        for (String[] t : new String[][] {
            {"--batch", "100000000"}, {"--batch", "0"}, {"--batch", "2147483648"}, {"--channels", "1000000000"},
            {"--channels", "100000"}, {"--layers", "1000000000"}, {"--state", "1000000000"}, {"--state", "-1"},
            {"--steps", "-5"}, {"--accumulate", "0"}, {"--eval-every", "-1"}, {"--eval-examples", "-1"},
            {"--checkpoint-every", "-1"}, {"--log-every", "0"}, {"--warmup", "-1"}, {"--lr", "NaN"}, {"--dropout", "1"},
            {"--threads", "0"}, {"--threads", "1000000"}, {"-o", "tokens=1048576"}, {"-o", "tokens=1000000000"},
            {"--task", "listops", "-o", "max-length=16777216"}, {"--task", "delay", "-o", "length=16777216"},
            {"--task", "pathfinder", "--batch", "1000000"}}) {
            List<String> a = new ArrayList<>(List.of("train", "--run", run));
            a.addAll(List.of(t));
            c.add(a);
        }
        for (String[] t : new String[][] {{"--examples", "-1"}, {"--batch", "0"}, {"--threads", "0"}}) {
            List<String> a = new ArrayList<>(List.of("eval", "--run", run));
            a.addAll(List.of(t));
            c.add(a);
        }
        for (String[] t : new String[][] {
            {"--length", "1000000000"}, {"--length", "2147483648"}, {"--length", "-1"}, {"--batch", "-1"},
            {"--channels", "0"}, {"--state", "1000000000"}, {"--repeats", "0"}, {"--num-a", "0"}, {"--threads", "0"},
            {"--kinds", "s4", "--state", "1000000000"}}) {
            List<String> a = new ArrayList<>(List.of("demo"));
            a.addAll(List.of(t));
            c.add(a);
        }
        for (String[] t : new String[][] {
            {"--length", "1000000000"}, {"--channels", "1000000000"}, {"--batch", "-1"}, {"--repeats", "0"},
            {"--warmup", "-1"}, {"--kind", "s4", "--state", "1000000000"},
            {"--batch", "100000", "--channels", "1000", "--length", "1000"}}) {
            List<String> a = new ArrayList<>(List.of("profile", "--backend", "jvm"));
            a.addAll(List.of(t));
            c.add(a);
        }
        c.add(args("layer", "export", "--kind", "rtf", "--channels", "1000000000", "--state", "8", "--length", "64", "--output", x));
        c.add(args("layer", "export", "--kind", "rtf", "--channels", "4", "--state", "8", "--length", "1000000000", "--output", x));
        c.add(args("layer", "export", "--kind", "s4d", "--channels", "4", "--state", "8", "--length", "1000000000", "--output", x));
        c.add(args("layer", "export", "--kind", "s4", "--channels", "4", "--state", "1000000000", "--length", "64", "--output", x));
        c.add(args("layer", "export", "--kind", "rtf", "--channels", "-1", "--state", "8", "--length", "64", "--output", x));
        c.add(args("layer", "kernel", "--kind", "rtf", "--weights", w, "--channels", "4", "--length", "1000000000", "--output", k));
        c.add(args("layer", "kernel", "--kind", "rtf", "--weights", w, "--channels", "4", "--length", "536870912", "--output", k));
        c.add(args("layer", "kernel", "--kind", "s4d", "--weights", w4, "--length", "1000000000", "--output", k));
        c.add(args("layer", "kernel", "--kind", "rtf", "--weights", w, "--channels", "4", "--length", "0", "--output", k));
        c.add(args("layer", "run", "--kind", "rtf", "--weights", w, "--input", input.toString(), "--output", y,
            "--trunc-len", "-1"));
        c.add(args("layer", "run", "--kind", "rtf", "--weights", w, "--input", input.toString(), "--output", y,
            "--trunc-len", "1000000000"));
        c.add(args("study", "--repeats", "0", "--out", dir.resolve("study").toString()));
        c.add(args("study", "--threads", "0", "--out", dir.resolve("study").toString()));
        c.add(args("devices", "--bogus"));
        c.add(args("setup-data"));
        return c.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("absurd")
    void absurdSizesAreOneLineRefusals(List<String> args) {
        String[] r = InProcess.run(args.toArray(String[]::new));
        oneLineRefusal(args, r);
        assertEquals("", r[1], "nothing was run, so nothing printed on stdout");
    }

    /** Exit 2, exactly one line on stderr starting "rtf4j: ", no exception or stack trace anywhere. */
    private static void oneLineRefusal(List<String> args, String[] r) {
        String all = "stdout:\n" + r[1] + "\nstderr:\n" + r[2];
        assertEquals("2", r[0], args + "\n" + all);
        assertEquals(1, r[2].lines().count(), args + "\n" + all);
        assertTrue(r[2].startsWith("rtf4j: "), args + "\n" + all);
        assertFalse(all.contains("Exception") || all.contains("\tat ") || all.contains("Error"), args + "\n" + all);
    }

    @Test
    void refusalsNameTheSizesTheBytesAndTheHeap() {
        String run = dir.resolve("run").toString();
        String[] r = InProcess.run("train", "--run", run, "--batch", "100000000");
        assertEquals("rtf4j: train: the activations of batch 100000000 × channels 32 × length 64 would have "
            + "409,600,000,000 elements, more than a Java array can hold (2,147,483,639)", r[2].strip());
        r = InProcess.run("train", "--run", run, "--layers", "1000000000");
        assertTrue(r[2].startsWith("rtf4j: train: batch 16 × length 64 × channels 32 × 1000000000 layers (rtf, state 48)"
            + " needs about "), r[2]);
        assertTrue(r[2].contains(" PiB of heap, ") && r[2].contains(" available (maximum heap ")
            && r[2].contains("raise the limit with RTF4J_JAVA_OPTS=-Xmx<size>"), r[2]);
        r = InProcess.run("eval", "--run", run, "--examples", "-1");
        assertEquals("rtf4j: --examples must be ≥ 0, got -1", r[2].strip());
        r = InProcess.run("demo", "--repeats", "0");
        assertEquals("rtf4j: --repeats must be ≥ 1, got 0", r[2].strip());
        r = InProcess.run("study", "--repeats", "0", "--out", dir.resolve("study").toString());
        assertEquals("rtf4j: --repeats must be ≥ 1, got 0", r[2].strip());
        r = InProcess.run("demo", "--length", "2147483648");
        assertTrue(r[2].startsWith("rtf4j: Invalid value for option '--length': '2147483648' is not an int"), r[2]);
        assertTrue(r[2].strip().endsWith("(see 'rtf4j demo --help')"), r[2]);
    }

    @Test
    void messagesStateTheRequirementAndTheValue() {
        java.io.PrintWriter log = new java.io.PrintWriter(new java.io.StringWriter());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> new org.rtf4j.cli.study.StudyRunner(() -> null, org.rtf4j.kernels.backend.Precision.F32, 1, 0, log));
        assertEquals("repetitions must be ≥ 1, got 0", e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> new org.rtf4j.cli.study.StudyRunner(() -> null, org.rtf4j.kernels.backend.Precision.F32, -1, 3, log));
        assertEquals("warm-up calls must be ≥ 0, got -1", e.getMessage());
        String[] r = InProcess.run("demo", "--kinds", "rtf", "--state", "64", "--length", "32");
        assertEquals("rtf4j: state size N must be < the length L = 32, got 64", r[2].strip());
        r = InProcess.run("demo", "--num-a", "5", "--channels", "6", "--kinds", "rtf");
        assertEquals("rtf4j: numA must divide H = 6, got 5", r[2].strip());
        r = InProcess.run("demo", "--batch", "100", "--channels", "1000", "--length", "1000");
        assertEquals("rtf4j: --batch × --channels × --length must be ≤ 50,000,000 for the demo, got 100 × 1000 × 1000"
            + " = 100,000,000", r[2].strip());
    }

    /** A command that runs out of heap as if an estimate had missed a term. */
    @picocli.CommandLine.Command(name = "exhaust")
    static final class Exhaust implements java.util.concurrent.Callable<Integer> {
        @Override
        public Integer call() {
            throw new OutOfMemoryError("Java heap space");
        }
    }

    @Test
    void anOutOfMemoryErrorThatEscapesTheEstimatesIsOneLine() {
        picocli.CommandLine cl = Rtf4jCommand.commandLine();
        cl.addSubcommand(new Exhaust());
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        cl.setOut(new java.io.PrintWriter(out));
        cl.setErr(new java.io.PrintWriter(err));
        assertEquals(2, cl.execute("exhaust"));
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().startsWith("rtf4j: out of memory (Java heap space) with a maximum heap of ")
            && err.toString().strip().endsWith("; use smaller sizes or raise the limit with RTF4J_JAVA_OPTS=-Xmx<size>"),
            err.toString());
    }

    /** {exit code, stdout, stderr} of the command line in a fresh JVM with the given -Xmx. */
    static String[] java(String xmx, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx" + xmx, "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
            Rtf4jCommand.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).start();
        p.getOutputStream().close();
        // stdout and stderr are small (one line each at most here): read one after the other
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(cmd + " did not finish");
        }
        return new String[] {String.valueOf(p.exitValue()), new String(out, StandardCharsets.UTF_8),
            new String(err, StandardCharsets.UTF_8)};
    }

    static Stream<List<String>> tooLargeForASmallHeap() {
        return Stream.of(
            args("train", "--run", dir.resolve("run64").toString(), "--batch", "20000"),
            args("demo", "--batch", "1", "--channels", "1", "--length", "50000000", "--kinds", "rtf"),
            args("profile", "--backend", "jvm", "--batch", "1", "--channels", "1", "--length", "10000000"),
            args("layer", "export", "--kind", "rtf", "--channels", "4", "--state", "8", "--length", "100000000", "--output",
                dir.resolve("x64.safetensors").toString()),
            args("study", "--preset", "quick", "--out", dir.resolve("study64").toString()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tooLargeForASmallHeap")
    void sizesThatDoNotFitTheHeapAreRefusedBeforeTheWork(List<String> args) throws Exception {
        String[] r = java("64m", args.toArray(String[]::new));
        oneLineRefusal(args, r);
        assertTrue(r[2].contains(" needs about ") && r[2].contains("RTF4J_JAVA_OPTS=-Xmx<size>"), r[2]);
        assertEquals("", r[1], "refused before any work");
    }

    @Test
    void helpAndUsageErrorsPrintNoWarnings() throws Exception {
        String[] r = java("64m", "train", "--help");
        assertEquals("0", r[0], r[2]);
        assertEquals("", r[2], "train --help writes nothing on stderr");
        assertTrue(r[1].contains("--warmup=<warmup>") && r[1].contains("(default: 5% of --steps)"), r[1]);
        r = java("64m", "train", "--bogus");
        assertEquals("2", r[0], r[2]);
        assertEquals(1, r[2].lines().count(), r[2]);
        assertTrue(r[2].startsWith("rtf4j: Unknown option: '--bogus'") && !r[2].contains("WARN"), r[2]);
    }
}
