package org.rtf4j.kernels.dense;

/**
 * The scalars of one AdamW update of one parameter tensor ({@code ADAMW}), as the host optimiser
 * (the float64 update of {@code train.optim.AdamW}, global-norm clipping first) uses them:
 * <pre>
 *   g ← g·maxNorm/(‖g‖ + 1e-12)          when maxNorm &gt; 0 and ‖g‖ &gt; maxNorm (‖g‖ the global norm of all tensors)
 *   m ← β1·m + (1 − β1)·g
 *   v ← β2·v + (1 − β2)·g·g
 *   p ← p − lr·((m/c1)/(√(v/c2) + eps) + weightDecay·p)
 * </pre>
 * The caller computes the bias corrections {@code c1 = 1 − β1^step}, {@code c2 = 1 − β2^step} in float64 from
 * the update count ({@link #of}), and passes the learning rate already scaled by its schedule, per tensor (the
 * SSM parameters have their own rate and decay). A kernel of float32 buffers rounds every scalar to float32;
 * {@code 1 − β1} and {@code 1 − β2} are formed in float64 first ({@link #oneMinusBeta1()}).
 *
 * @param lr          learning rate of this tensor, finite and ≥ 0
 * @param weightDecay decoupled weight decay, finite and ≥ 0
 * @param beta1       first-moment decay, in [0, 1)
 * @param beta2       second-moment decay, in [0, 1)
 * @param eps         denominator offset, finite and &gt; 0
 * @param c1          first bias correction 1 − β1^step, in (0, 1]
 * @param c2          second bias correction 1 − β2^step, in (0, 1]
 * @param maxNorm     global gradient-norm limit, finite and ≥ 0 (0 = no clipping)
 */
public record AdamWStep(double lr, double weightDecay, double beta1, double beta2, double eps, double c1, double c2,
                        double maxNorm) {

    /**
     * Validates the scalars.
     *
     * @throws IllegalArgumentException naming the first invalid value, what it must be and what it is
     */
    public AdamWStep {
        nonNegative("lr", lr);
        nonNegative("weightDecay", weightDecay);
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("adamW beta1 must be in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("adamW beta2 must be in [0, 1), got " + beta2);
        }
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("adamW eps must be a positive finite number, got " + eps);
        }
        if (!(c1 > 0 && c1 <= 1)) {
            throw new IllegalArgumentException("adamW c1 must be in (0, 1], got " + c1);
        }
        if (!(c2 > 0 && c2 <= 1)) {
            throw new IllegalArgumentException("adamW c2 must be in (0, 1], got " + c2);
        }
        nonNegative("maxNorm", maxNorm);
    }

    /**
     * The scalars of update number {@code step} (1 for the first), with the bias corrections computed as the
     * host optimiser does: {@code c1 = 1 − Math.pow(β1, step)}, {@code c2 = 1 − Math.pow(β2, step)}.
     *
     * @throws IllegalArgumentException when step &lt; 1 or a scalar is invalid
     */
    public static AdamWStep of(double lr, double weightDecay, double beta1, double beta2, double eps, long step,
                               double maxNorm) {
        if (step < 1) {
            throw new IllegalArgumentException("adamW step must be ≥ 1, got " + step);
        }
        return new AdamWStep(lr, weightDecay, beta1, beta2, eps, 1.0 - Math.pow(beta1, step), 1.0 - Math.pow(beta2, step),
            maxNorm);
    }

    /** 1 − β1, in float64. */
    public double oneMinusBeta1() {
        return 1.0 - beta1;
    }

    /** 1 − β2, in float64. */
    public double oneMinusBeta2() {
        return 1.0 - beta2;
    }

    private static void nonNegative(String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("adamW " + name + " must be a finite number ≥ 0, got " + v);
        }
    }
}
