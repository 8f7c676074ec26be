package org.rtf4j.train.nn;

import java.util.List;
import java.util.SplittableRandom;
import org.rtf4j.layer.Parameter;

/** Token ids (B, ℓ) to vectors (B, H, ℓ); N(0, 1) init as PyTorch's {@code nn.Embedding}. */
public final class Embedding {
    private final int vocabulary;
    private final int dim;
    private final Parameter table;
    private int[] tokens;
    private int batch;
    private int length;

    public Embedding(String name, int vocabulary, int dim, SplittableRandom rng) {
        if (vocabulary < 1 || dim < 1) {
            throw new IllegalArgumentException(name + ": vocabulary and dim must be ≥ 1, got " + vocabulary + ", " + dim);
        }
        this.vocabulary = vocabulary;
        this.dim = dim;
        this.table = new Parameter(name + ".weight", new int[] {vocabulary, dim}, false);
        double[] w = table.value();
        for (int i = 0; i < w.length; i++) {
            w[i] = Gaussian.next(rng);
        }
    }

    public List<Parameter> parameters() {
        return List.of(table);
    }

    /** Vectors (B, H, ℓ) of token ids (B, ℓ). */
    public double[] forward(int[] tokens, int batch, int length) {
        if (tokens.length != batch * length) {
            throw new IllegalArgumentException("tokens: expected " + batch * length + " ids (B=" + batch + ", L="
                + length + "), got " + tokens.length);
        }
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= vocabulary) {
                throw new IllegalArgumentException("tokens must be in [0, " + vocabulary + "), got " + tokens[i] + " at index " + i);
            }
        }
        this.tokens = tokens;
        this.batch = batch;
        this.length = length;
        double[] y = new double[batch * dim * length];
        double[] w = table.value();
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < length; t++) {
                int row = tokens[b * length + t] * dim;
                for (int h = 0; h < dim; h++) {
                    y[(b * dim + h) * length + t] = w[row + h];
                }
            }
        }
        return y;
    }

    /** Accumulates the table gradient (in a fixed order). */
    public void backward(double[] dy) {
        Shapes.check("dy", dy, batch, dim, length);
        double[] g = table.grad();
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < length; t++) {
                int row = tokens[b * length + t] * dim;
                for (int h = 0; h < dim; h++) {
                    g[row + h] += dy[(b * dim + h) * length + t];
                }
            }
        }
    }
}
