package org.rtf4j.train.optim;

import java.util.Map;
import org.rtf4j.layer.Parameter;

/** The finiteness check of host parameter values, naming the culprit (the SSM layers' parameters after an update). */
public final class FiniteValues {
    private FiniteValues() {
    }

    /** Throws {@link TrainingDivergedException} at the first non-finite parameter value. */
    public static void require(long step, Map<String, Parameter> params) {
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            double[] w = e.getValue().value();
            for (int i = 0; i < w.length; i++) {
                if (!Double.isFinite(w[i])) {
                    throw new TrainingDivergedException(step, e.getKey(), "value " + e.getKey() + "[" + i + "] = " + w[i]);
                }
            }
        }
    }
}
