package org.rtf4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rtf4j.cli.study.StudyCase;
import org.rtf4j.cli.study.StudyPreset;
import org.rtf4j.cli.study.StudyRecord;
import org.rtf4j.cli.study.StudyReport;
import org.rtf4j.cli.study.StudyRunner;
import org.rtf4j.kernels.backend.MemoryCheck;
import org.rtf4j.kernels.backend.Precision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./rtf4j study}: a named speed-up sweep RTF vs S4 vs S4D, with tables and plots. */
@Command(name = "study", mixinStandardHelpOptions = true,
    description = "Run a speed-up study (RTF vs S4D vs S4) and write study.json, study.csv, ratios.md and PNG plots.")
final class StudyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--preset", description = "quick (< 2 min), default (< 10 min) or paper_cpu (default: quick).")
    StudyPreset preset = StudyPreset.QUICK;

    @Option(names = "--out", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("study-out");

    @Option(names = "--repeats", description = "Timed repetitions per case (default: the preset's).")
    Integer repeats;

    @Option(names = "--precision", description = "F32 or F64 (default: ${DEFAULT-VALUE}).")
    Precision precision = Precision.F32;

    @Mixin
    BackendOptions backend = new BackendOptions();

    @Override
    public Integer call() {
        System.setProperty("java.awt.headless", "true");
        StudyReport.check("--out", out);
        PrintWriter log = spec.commandLine().getOut();
        Checks.atLeast("--repeats", repeats, 1);
        Checks.threads(backend.threads);
        List<StudyCase> cases = preset.cases();
        // before any case runs: refuse a preset whose largest case cannot fit
        for (StudyCase c : cases) {
            MemoryCheck.require("study " + preset.id() + ": " + c.layer().id() + " case batch " + c.batch() + " × channels "
                + c.channels() + " × length " + c.length() + " × state " + c.stateSize(),
                StudyRunner.bytesNeeded(c, precision, backend.heapBuffers(), backend.workers()));
        }
        int reps = repeats != null ? repeats : preset.repetitions();
        log.printf("study %s: %d cases, %d warm-up + %d timed calls each (median, min), backend %s, %s%n", preset, cases.size(),
            preset.warmup(), reps, backend.backend, precision);
        long t0 = System.nanoTime();
        List<StudyRecord> records = new StudyRunner(backend::create, precision, preset.warmup(), reps, log).run(cases);
        Map<String, Object> method = new LinkedHashMap<>();
        method.put("preset", preset.id());
        method.put("warmup", preset.warmup());
        method.put("repetitions", reps);
        method.put("statistic", "median and minimum of wall-clock time per call (System.nanoTime)");
        method.put("backend", backend.backend.name());
        method.put("precision", precision.name());
        method.put("java", System.getProperty("java.version"));
        method.put("processors", Runtime.getRuntime().availableProcessors());
        method.put("peak_bytes", "backend buffers and scratch after the call (workspace, activations) plus host input/output arrays");
        method.put("param_bytes", "parameters and gradients (host float64), apart from peak_bytes");
        for (Path p : StudyReport.write(out, records, method)) {
            log.println("wrote " + p);
        }
        log.printf("study took %.1f s%n", (System.nanoTime() - t0) / 1e9);
        log.flush();
        return 0;
    }
}
