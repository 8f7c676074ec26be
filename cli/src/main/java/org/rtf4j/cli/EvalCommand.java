package org.rtf4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.MemoryCheck;
import org.rtf4j.train.Checkpoints;
import org.rtf4j.train.Evaluation;
import org.rtf4j.train.TrainConfig;
import org.rtf4j.train.data.DataSetup;
import org.rtf4j.train.data.Dataset;
import org.rtf4j.train.data.Split;
import org.rtf4j.train.data.TaskConfig;
import org.rtf4j.train.data.Tasks;
import org.rtf4j.train.nn.SequenceModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Evaluates a checkpoint on a split of its task. */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = "Evaluate a training checkpoint (the newest of a run directory, or one file) on its task.")
final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--run", description = "Run directory: its newest readable checkpoint is evaluated.")
    Path run;

    @Option(names = "--checkpoint", description = "A checkpoint file (instead of --run).")
    Path checkpoint;

    @Option(names = "--split", description = "train or test (default: ${DEFAULT-VALUE}).")
    Split split = Split.TEST;

    @Option(names = "--examples", description = "Examples to evaluate, 0 = the whole split (default: ${DEFAULT-VALUE}).")
    int examples = 0;

    @Option(names = "--batch", description = "Evaluation batch size (default: the run's).")
    Integer batch;

    @Option(names = "--data", description = "Data cache of setup-data (default: $RTF4J_DATA or ~/.cache/rtf4j/data).")
    Path data;

    @Option(names = "--progress", negatable = true, description = "Progress bar on stderr (default: when stderr is a terminal).")
    Boolean progress;

    @Mixin
    BackendOptions backendOptions = new BackendOptions();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Checks.atLeast("--examples", examples, 0);
        Checks.atLeast("--batch", batch, 1);
        Checks.threads(backendOptions.threads);
        if ((run == null) == (checkpoint == null)) {
            throw new IllegalArgumentException("give exactly one of --run DIR and --checkpoint FILE");
        }
        Checkpoints.Loaded ck;
        if (checkpoint != null) {
            if (!Files.isRegularFile(checkpoint)) {
                throw new IllegalArgumentException("--checkpoint " + checkpoint + ": no such file");
            }
            ck = Checkpoints.read(checkpoint);
        } else {
            List<Path> files = Checkpoints.list(run);
            if (files.isEmpty()) {
                throw new IllegalArgumentException("--run " + run + ": no checkpoint-*.safetensors there");
            }
            ck = Checkpoints.latest(run, m -> out.println(m)).orElseThrow(
                () -> new IllegalArgumentException("--run " + run + ": no readable checkpoint"));
        }
        TrainConfig c = ck.config();
        Dataset ds = Tasks.open(new TaskConfig(c.task(), c.seed(), c.taskOptions(),
            data != null ? data : DataSetup.defaultDataDir()));
        int n = examples > 0 ? Math.min(examples, ds.size(split)) : ds.size(split);
        int evalBatch = Math.min(batch != null ? batch : c.batchSize(), Math.max(1, n));
        SequenceModel.requireArrays("eval", c.model(), ds.spec(), evalBatch,
            backendOptions.convolutionFftLength(ds.spec().maxLength()));
        MemoryCheck.require("eval: " + SequenceModel.describeSizes(c.model(), ds.spec(), evalBatch),
            SequenceModel.bytesNeeded(c.model(), ds.spec(), evalBatch, backendOptions.heapBuffers(), backendOptions.workers()));
        try (Backend backend = backendOptions.create();
             SequenceModel model = new SequenceModel(c.model(), ds.spec(), backend, c.seed())) {
            Checkpoints.restore(ck, model, null);
            Evaluation e;
            if (Progress.wanted(progress)) {
                try (ProgressBar pb = Progress.bar("eval", n, 0)) {
                    e = Evaluation.of(model, ds, split, n, evalBatch, pb::stepTo);
                }
            } else {
                e = Evaluation.of(model, ds, split, n, evalBatch);
            }
            out.println(ck.file() + " (step " + ck.step() + "): " + TrainCommand.describe(e));
            out.flush();
            backendOptions.report(backend, out);
        }
        return 0;
    }
}
