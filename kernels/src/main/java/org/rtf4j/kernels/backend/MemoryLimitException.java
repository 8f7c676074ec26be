package org.rtf4j.kernels.backend;

/**
 * Thrown before an allocation that cannot succeed: the work needs more heap than the JVM can still give, or
 * an array longer than Java arrays can be. The message is one line naming the sizes, the bytes needed and
 * the heap available (see {@link MemoryCheck}). Nothing has been allocated for the refused work.
 */
public class MemoryLimitException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** A refusal with its one-line message. */
    public MemoryLimitException(String message) {
        super(message);
    }
}
