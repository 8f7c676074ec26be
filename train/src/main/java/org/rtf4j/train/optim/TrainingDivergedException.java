package org.rtf4j.train.optim;

/**
 * Training stopped because a loss, gradient or value became non-finite or exploded, or a layer failed
 * numerically ({@link org.rtf4j.layer.NumericalFailureException}, then the cause); names where. An
 * {@link IllegalStateException}, so the command line reports it as one line.
 */
public final class TrainingDivergedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final long step;
    private final String parameter;

    public TrainingDivergedException(long step, String parameter, String what) {
        this(step, parameter, what, null);
    }

    /** As {@link #TrainingDivergedException(long, String, String)}, with the failure that showed it as cause. */
    public TrainingDivergedException(long step, String parameter, String what, Throwable cause) {
        super("training diverged at step " + step + (parameter != null ? " in " + layerOf(parameter) + ", parameter "
            + parameter : "") + ": " + what, cause);
        this.step = step;
        this.parameter = parameter;
    }

    public long step() {
        return step;
    }

    /** The full parameter name, or null when the loss itself diverged. */
    public String parameter() {
        return parameter;
    }

    /** "blocks.2" of "blocks.2.ssm.ab"; the first name part otherwise. */
    static String layerOf(String parameter) {
        String[] parts = parameter.split("\\.");
        if (parts.length >= 2 && parts[0].equals("blocks")) {
            return "layer blocks." + parts[1];
        }
        return "layer " + parts[0];
    }
}
