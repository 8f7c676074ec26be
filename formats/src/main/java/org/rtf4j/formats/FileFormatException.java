package org.rtf4j.formats;

/** A file that cannot be read as what it claims to be; the message names the file, the key and the problem. */
public final class FileFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** Longest text from a file that a message shows, in code points; longer text is cut and ends in "...". */
    static final int SHOWN = 60;

    public FileFormatException(String message) {
        super(message);
    }

    /**
     * Text read from a file (a tensor name, a key, a value), in single quotes, safe to put in a one-line
     * message: quotes, backslashes, line breaks, control and format characters and unpaired surrogates
     * are escaped as in Java source (a line feed as backslash-n, an escape character as backslash-u001b),
     * and text longer than {@value #SHOWN} code points is cut.
     */
    static String quote(String s) {
        return "'" + escape(s, true, SHOWN) + "'";
    }

    /** Text for a one-line message as {@link #quote}, without the quotes and leaving quotes and backslashes be. */
    static String shorten(String s) {
        return escape(s, false, SHOWN);
    }

    /** {@link #shorten} to at most {@code max} code points. */
    static String shorten(String s, int max) {
        return escape(s, false, max);
    }

    private static String escape(String s, boolean quoted, int max) {
        StringBuilder b = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < s.length(); ) {
            if (shown == max) {
                return b.append("...").toString();
            }
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            shown++;
            if (quoted && (c == '\'' || c == '\\')) {
                b.append('\\').appendCodePoint(c);
                continue;
            }
            switch (c) {
                case '\n':
                    b.append("\\n");
                    break;
                case '\r':
                    b.append("\\r");
                    break;
                case '\t':
                    b.append("\\t");
                    break;
                default:
                    int type = Character.getType(c);
                    if (type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                        || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                        || type == Character.UNASSIGNED || type == Character.PRIVATE_USE) {
                        if (c > 0xffff) {
                            b.append(String.format("\\U%08x", c));
                        } else {
                            b.append(String.format("\\u%04x", c));
                        }
                    } else {
                        b.appendCodePoint(c);
                    }
            }
        }
        return b.toString();
    }
}
