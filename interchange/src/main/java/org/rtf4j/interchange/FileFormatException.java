package org.rtf4j.interchange;

/** A file that cannot be read as what it claims to be; the message names the file, the key and the problem. */
public final class FileFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public FileFormatException(String message) {
        super(message);
    }
}
