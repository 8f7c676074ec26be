package org.rtf4j.layer;

/**
 * A layer's computation failed numerically on arguments it had accepted: a denominator of a transfer
 * function came too close to zero on the unit circle, a linear system was singular, or a value computed
 * from finite inputs and parameters overflowed to ±∞ or became NaN. It says where, as far as the place is
 * known: the layer (set by whoever knows its name, see {@link #inLayer}), the computed quantity, and the
 * direction, row, frequency bin, element index and offending value.
 *
 * <h2>Bad input or numerical failure</h2>
 * The line between the two is who produced the bad value.
 * <ul>
 *   <li>A value the caller passed in — an input or gradient array, a parameter value, a shape, a
 *       configuration — that is wrong or non-finite is bad input: {@link IllegalArgumentException}
 *       (or {@link IllegalStateException} for a call out of order). Retrying with the same arguments
 *       fails again; the caller's code or data has a bug.</li>
 *   <li>A value the layer computed from accepted arguments that is unusable — a denominator magnitude
 *       below the configured threshold, a singular system, a non-finite output or parameter gradient —
 *       is this exception. In training it means the parameters have left the region where the layer is
 *       well defined (the run diverged); a trainer reports it as divergence at the step where it
 *       happened, and lets every {@link IllegalArgumentException} through as the bug it is.</li>
 * </ul>
 *
 * <p>It extends {@link ArithmeticException}, the JDK's exception for an arithmetic computation that
 * cannot produce a result, so code that already handled the layers' overflow report (an
 * {@code ArithmeticException}) handles every numerical failure. The message is one line.
 */
public final class NumericalFailureException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    private final String detail;
    private final String layer;
    private final String quantity;
    private final int direction;
    private final int row;
    private final int bin;
    private final int index;
    private final double value;

    private NumericalFailureException(String detail, String layer, String quantity, int direction, int row, int bin,
                                      int index, double value) {
        super(layer == null ? detail : layer + ": " + detail);
        this.detail = detail;
        this.layer = layer;
        this.quantity = quantity;
        this.direction = direction;
        this.row = row;
        this.bin = bin;
        this.index = index;
        this.value = value;
    }

    /**
     * A denominator whose smallest magnitude on the FFT grid is too small.
     *
     * @param message   the whole one-line explanation
     * @param direction 0 forward (causal), 1 backward
     * @param row       the denominator's row (its group of channels)
     * @param bin       the frequency bin of the smallest magnitude
     * @param value     that magnitude (relative, as the layer measures it)
     */
    public static NumericalFailureException denominator(String message, int direction, int row, int bin, double value) {
        return new NumericalFailureException(message, null, "denominator", direction, row, bin, -1, value);
    }

    /**
     * A computed quantity that is not a finite number.
     *
     * @param message  the whole one-line explanation
     * @param quantity what was computed, e.g. {@code "output y"} or {@code "gradient of ab"}
     * @param index    the first offending element, or -1
     * @param value    its value
     */
    public static NumericalFailureException nonFinite(String message, String quantity, int index, double value) {
        return new NumericalFailureException(message, null, quantity, -1, -1, -1, index, value);
    }

    /**
     * Any other numerical failure, e.g. a singular linear system.
     *
     * @param message  the whole one-line explanation
     * @param quantity what could not be computed
     * @param row      the row (e.g. the channel) it failed for, or -1
     */
    public static NumericalFailureException of(String message, String quantity, int row) {
        return new NumericalFailureException(message, null, quantity, -1, row, -1, -1, Double.NaN);
    }

    /**
     * The same failure attributed to the named layer (e.g. {@code "blocks.1.ssm"}): the message gains the
     * prefix {@code "name: "} (replacing a name set before), the cause is this exception.
     */
    public NumericalFailureException inLayer(String name) {
        NumericalFailureException e = new NumericalFailureException(detail, name, quantity, direction, row, bin, index,
            value);
        e.initCause(this);
        return e;
    }

    /** The message without the layer prefix. */
    public String detail() {
        return detail;
    }

    /** The layer's name, or null when the thrower did not know it. */
    public String layer() {
        return layer;
    }

    /** What failed: {@code "denominator"}, {@code "output y"}, {@code "gradient of ab"}, … */
    public String quantity() {
        return quantity;
    }

    /** 0 forward, 1 backward, or -1 when not a per-direction quantity. */
    public int direction() {
        return direction;
    }

    /** The row (denominator group, channel), or -1 when unknown. */
    public int row() {
        return row;
    }

    /** The frequency bin, or -1 when not a spectral quantity. */
    public int bin() {
        return bin;
    }

    /** The first offending element of an array, or -1. */
    public int index() {
        return index;
    }

    /** The offending value (a magnitude or the non-finite element), NaN when there is none. */
    public double value() {
        return value;
    }
}
