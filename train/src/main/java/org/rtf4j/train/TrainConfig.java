package org.rtf4j.train;

import java.util.Map;
import java.util.TreeMap;
import org.rtf4j.train.nn.ModelConfig;

/**
 * Everything that defines a training run; stored in every checkpoint, so a resumed run is the same run.
 *
 * @param task          task name
 * @param taskOptions   task options (sizes, lengths), by name
 * @param model         the architecture
 * @param batchSize     examples per micro-batch
 * @param accumulate    micro-batches per update (gradient accumulation)
 * @param steps         number of updates
 * @param lr            learning rate
 * @param weightDecay   decoupled weight decay
 * @param ssmLr         learning rate of the SSM parameters
 * @param ssmWeightDecay weight decay of the SSM parameters
 * @param warmup        linear warm-up updates of the cosine schedule
 * @param clip          global gradient-norm clip (0 = off)
 * @param explode       a gradient norm above this stops training (0 = off)
 * @param evalEvery     updates between evaluations on the test split (0 = only at the end)
 * @param evalExamples  test examples per evaluation (0 = the whole split)
 * @param checkpointEvery updates between checkpoints (0 = only at the end)
 * @param seed          seed of the initialisation, data order and dropout masks
 */
public record TrainConfig(String task, Map<String, String> taskOptions, ModelConfig model, int batchSize, int accumulate,
                          long steps, double lr, double weightDecay, double ssmLr, double ssmWeightDecay, long warmup,
                          double clip, double explode, long evalEvery, int evalExamples, long checkpointEvery, long seed) {

    public TrainConfig {
        if (task == null || model == null) {
            throw new IllegalArgumentException("task and model must be set");
        }
        taskOptions = taskOptions == null ? Map.of() : new TreeMap<>(taskOptions);
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be ≥ 1, got " + batchSize);
        }
        if (accumulate < 1) {
            throw new IllegalArgumentException("accumulate must be ≥ 1, got " + accumulate);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be ≥ 1, got " + steps);
        }
        if (warmup < 0 || warmup >= steps) {
            throw new IllegalArgumentException("warm-up must be in [0, steps=" + steps + "), got " + warmup);
        }
        if (!(clip >= 0) || !(explode >= 0)) {
            throw new IllegalArgumentException("clip and explode must be ≥ 0, got " + clip + ", " + explode);
        }
        if (evalEvery < 0 || checkpointEvery < 0 || evalExamples < 0) {
            throw new IllegalArgumentException("evalEvery, evalExamples and checkpointEvery must be ≥ 0");
        }
    }
}
