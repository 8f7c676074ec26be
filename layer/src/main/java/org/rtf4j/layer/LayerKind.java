package org.rtf4j.layer;

/** Kinds of sequence layer, selected with one argument by models and benchmarks. */
public enum LayerKind {
    /** Rational transfer function (state-free). */
    RTF,
    /** Diagonal SSM, Vandermonde kernel. */
    S4D,
    /** Normal-plus-low-rank SSM, Cauchy kernel. */
    S4;

    /** Lower-case name used on the command line and in files. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
