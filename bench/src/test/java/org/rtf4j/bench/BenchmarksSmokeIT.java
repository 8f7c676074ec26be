package org.rtf4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Smoke pass of the shaded benchmarks jar as a user runs it: one fork, one short warm-up and measurement
 * iteration, tiny shapes, every benchmark class. Proves they execute; asserts no timing. TrainStepBench has
 * the study's shapes only (a few updates of about a second each), in float32 here.
 */
class BenchmarksSmokeIT {
    @Test
    void everyBenchmarkRuns() throws Exception {
        Path jar = Path.of("target", "benchmarks.jar");
        assertTrue(Files.exists(jar), "target/benchmarks.jar missing");
        Path out = Files.createTempFile("jmh", ".json");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-DuniqueLibraryNames=true",
            // a smoke pass measures nothing: it may run beside a real benchmark holding JMH's lock
            "-Djmh.ignoreLock=true", "-jar", jar.toString(),
            "-f", "1", "-wi", "1", "-i", "1", "-w", "100ms", "-r", "100ms", "-rf", "json", "-rff", out.toString(),
            "-p", "n=1024", "-p", "rows=64", "-p", "batch=1", "-p", "channels=4", "-p", "length=128", "-p", "state=8",
            "-p", "precision=F32", "-p", "model=imdb", "-p", "threads=1",
            "FftBench|BatchedRealFftBench|LayerBench|RecurrentBench|TrainStepBench|GemmBench"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "benchmarks did not finish");
        assertEquals(0, p.exitValue(), log);
        String json = Files.readString(out);
        for (String b : new String[] {"FftBench.forwardInverse", "BatchedRealFftBench.forwardInverse", "LayerBench.forward",
            "LayerBench.forwardBackward", "LayerBench.kernelAndGradient", "RecurrentBench.step", "TrainStepBench.update",
            "GemmBench.kernel", "GemmBench.today"}) {
            assertTrue(json.contains(b), b + " missing from the results:\n" + log);
        }
        assertTrue(!log.contains("<failure>") && !log.contains("ERROR"), log);
        Files.delete(out);
    }
}
