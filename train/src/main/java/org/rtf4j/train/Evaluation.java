package org.rtf4j.train;

import java.util.ArrayList;
import java.util.List;
import org.rtf4j.train.data.Dataset;
import org.rtf4j.train.data.Example;
import org.rtf4j.train.data.Split;
import org.rtf4j.train.data.TaskSpec;
import org.rtf4j.kernels.dense.LossShape;
import org.rtf4j.train.nn.SequenceModel;

/**
 * Loss and score of a model on a split, in eval mode (no dropout).
 *
 * @param split    the split
 * @param examples examples evaluated
 * @param loss     mean loss over the counted targets
 * @param accuracy correct / counted targets (classification), else NaN
 * @param rmse     root mean squared error (regression), else NaN
 */
public record Evaluation(Split split, long examples, double loss, double accuracy, double rmse) {

    /** Evaluates {@code limit} evenly spaced examples (0 = all) in batches. */
    public static Evaluation of(SequenceModel model, Dataset data, Split split, int limit, int batchSize) {
        return of(model, data, split, limit, batchSize, done -> { });
    }

    /** As {@link #of(SequenceModel, Dataset, Split, int, int)}, reporting the examples done after each batch. */
    public static Evaluation of(SequenceModel model, Dataset data, Split split, int limit, int batchSize,
                                java.util.function.LongConsumer progress) {
        int size = data.size(split);
        int n = limit > 0 ? Math.min(size, limit) : size;
        TaskSpec spec = data.spec();
        double lossSum = 0;
        long correct = 0;
        long count = 0;
        double ss = 0;
        for (int start = 0; start < n; start += batchSize) {
            List<Example> ex = new ArrayList<>();
            for (int i = start; i < Math.min(n, start + batchSize); i++) {
                // an evenly spaced subset: splits stored in label order (IMDB, MNIST) stay balanced
                ex.add(data.get(split, (long) i * size / n));
            }
            Batch b = Batch.of(spec, ex);
            model.load(b, false);
            model.forward(false, 0, 0);
            double[] s = model.lossScalars();
            lossSum += s[LossShape.LOSS_SUM];
            correct += (long) s[LossShape.CORRECT];
            count += (long) s[LossShape.COUNT];
            ss += s[LossShape.LOSS_SUM];
            progress.accept(Math.min(n, start + batchSize));
        }
        boolean regression = spec.target() == TaskSpec.Target.REGRESSION;
        return new Evaluation(split, n, count == 0 ? Double.NaN : lossSum / count,
            regression || count == 0 ? Double.NaN : (double) correct / count,
            regression && count > 0 ? Math.sqrt(ss / count) : Double.NaN);
    }
}
