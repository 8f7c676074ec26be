package org.rtf4j.train.data;

/** Which part of a dataset: training examples or held-out test examples. */
public enum Split {
    TRAIN,
    TEST;

    /** The lower-case name used in file names and on the command line. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
