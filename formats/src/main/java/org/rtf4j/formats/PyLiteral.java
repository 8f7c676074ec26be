package org.rtf4j.formats;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the one Python literal a .npy header holds, by the rules numpy reads it with
 * ({@code ast.literal_eval}, and for format versions 1.0 and 2.0 the Python 2 {@code L} suffix of integers).
 *
 * <p>Accepted, as Python does: dicts (string keys only), tuples, lists, parentheses around a value, str and
 * bytes literals (either quote, triple quotes, prefixes {@code r u b rb br} in any case, the escapes of
 * Python including {@code \N{name}}, adjacent literals joined), integer literals (decimal, {@code 0x},
 * {@code 0o}, {@code 0b}, underscores between digits, one optional sign), {@code True}, {@code False},
 * {@code None}, and between tokens spaces, tabs, form feeds, line breaks, {@code #} comments and
 * backslash continuations; the first line that holds the literal may not be indented unless it is the
 * first line of the text. Float and complex literals are read but kept as their text ({@link Real}),
 * since no header field may hold one.
 *
 * <p>Refused, where numpy would accept: a key that appears twice in a dict (Python keeps the last one
 * silently), and a sign before a parenthesis ({@code -(2)}). Everything else that is not a literal is a
 * {@link SyntaxError} at the character where it was found.
 *
 * <p>Values: {@link String}, {@link Bytes}, {@link BigInteger}, {@link Real}, {@link Boolean},
 * {@link #NONE}, {@link Tuple}, {@link PyList}, and {@code Map<String, Object>} in the order of the text.
 */
final class PyLiteral {
    /** Python's {@code None}. */
    static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    /** A tuple. */
    record Tuple(List<Object> items) {
    }

    /** A list. */
    record PyList(List<Object> items) {
    }

    /** A bytes literal; each char is one byte. */
    record Bytes(String bytes) {
    }

    /** A float or complex literal, as written. */
    record Real(String text) {
    }

    /** Text that is not a literal, or a dict key given twice; {@code offset} is where, from 0. */
    static class SyntaxError extends Exception {
        private static final long serialVersionUID = 1L;
        final int offset;

        SyntaxError(String message, int offset) {
            super(message, null, false, false);
            this.offset = offset;
        }
    }

    /** A dict key given twice (Python would keep the last value; we refuse). */
    static final class DuplicateKey extends SyntaxError {
        private static final long serialVersionUID = 1L;
        final String key;

        DuplicateKey(String key, int offset) {
            super("key " + FileFormatException.quote(key) + " appears twice", offset);
            this.key = key;
        }
    }

    /** Deepest nesting of brackets, as CPython's parser (200). */
    static final int MAX_DEPTH = 200;

    private static final Pattern INT = Pattern.compile(
        "0(_?0)*|[1-9](_?[0-9])*|0[xX](_?[0-9a-fA-F])+|0[oO](_?[0-7])+|0[bB](_?[01])+");
    private static final String DIGITS = "[0-9](_?[0-9])*";
    private static final String POINT = "(" + DIGITS + ")?\\." + DIGITS + "|" + DIGITS + "\\.";
    private static final String FLOAT = "(" + POINT + ")|((" + DIGITS + "|" + POINT + ")[eE][+-]?" + DIGITS + ")";
    private static final Pattern REAL = Pattern.compile("(" + FLOAT + ")|((" + FLOAT + "|" + DIGITS + ")[jJ])");

    private final String s;
    private final boolean longSuffix;
    private int pos;
    private int depth;

    private PyLiteral(String s, boolean longSuffix) {
        this.s = s;
        this.longSuffix = longSuffix;
    }

    /**
     * The literal that is the whole of {@code text}.
     *
     * @param longSuffix accept {@code L} after an integer, as numpy does for format versions 1.0 and 2.0
     */
    static Object parse(String text, boolean longSuffix) throws SyntaxError {
        PyLiteral p = new PyLiteral(text, longSuffix);
        p.leading();
        Object v = p.value();
        p.space();
        if (p.pos < text.length()) {
            throw p.error("unexpected text after the literal: " + p.snippet());
        }
        return v;
    }

    /** A value in Python's notation, cut to a few dozen characters and safe for a one-line message. */
    static String repr(Object v) {
        return FileFormatException.shorten(full(v, new StringBuilder()).toString());
    }

    private static StringBuilder full(Object v, StringBuilder b) {
        if (b.length() > 2 * FileFormatException.SHOWN) {
            return b;
        }
        if (v instanceof String str) {
            return b.append(pyQuote(str));
        }
        if (v instanceof Bytes by) {
            return b.append('b').append(pyQuote(by.bytes()));
        }
        if (v instanceof Boolean bool) {
            return b.append(bool ? "True" : "False");
        }
        if (v instanceof Real re) {
            return b.append(re.text());
        }
        if (v instanceof Tuple t) {
            b.append('(');
            join(t.items(), b);
            return b.append(t.items().size() == 1 ? ",)" : ")");
        }
        if (v instanceof PyList l) {
            b.append('[');
            join(l.items(), b);
            return b.append(']');
        }
        if (v instanceof Map<?, ?> m) {
            b.append('{');
            String sep = "";
            for (Map.Entry<?, ?> e : m.entrySet()) {
                b.append(sep);
                full(e.getKey(), b).append(": ");
                full(e.getValue(), b);
                sep = ", ";
            }
            return b.append('}');
        }
        return b.append(v);
    }

    private static void join(List<Object> items, StringBuilder b) {
        for (int i = 0; i < items.size(); i++) {
            full(items.get(i), b.append(i == 0 ? "" : ", "));
        }
    }

    private static String pyQuote(String str) {
        String q = str.indexOf('\'') >= 0 && str.indexOf('"') < 0 ? "\"" : "'";
        StringBuilder b = new StringBuilder(q);
        for (int i = 0; i < str.length(); i++) {
            char c = str.charAt(i);
            if (c == '\\' || String.valueOf(c).equals(q)) {
                b.append('\\').append(c);
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c == '\t') {
                b.append("\\t");
            } else {
                b.append(c);
            }
        }
        return b.append(q).toString();
    }

    // ---- the parser ----

    private SyntaxError error(String message) {
        return new SyntaxError(message, Math.min(pos, s.length()));
    }

    private String snippet() {
        int end = Math.min(s.length(), pos + 20);
        return FileFormatException.quote(s.substring(pos, end)) + (end < s.length() ? "..." : "");
    }

    private boolean at(char c) {
        return pos < s.length() && s.charAt(pos) == c;
    }

    /** Before the literal: as literal_eval, spaces and tabs, then blank and comment lines; no indent after. */
    private void leading() throws SyntaxError {
        while (at(' ') || at('\t')) {
            pos++;
        }
        int lineStart = -1;
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\f') {
                pos++;
            } else if (c == '#') {
                comment();
            } else if (c == '\n' || c == '\r') {
                pos += c == '\r' && pos + 1 < s.length() && s.charAt(pos + 1) == '\n' ? 2 : 1;
                lineStart = pos;
            } else {
                break;
            }
        }
        if (lineStart >= 0 && pos > lineStart && pos < s.length()) {
            throw error("the literal's first line is indented");
        }
    }

    private void comment() {
        while (pos < s.length() && s.charAt(pos) != '\n' && s.charAt(pos) != '\r') {
            pos++;
        }
    }

    /** Skips what Python skips between tokens inside brackets. */
    private void space() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\f' || c == '\n' || c == '\r') {
                pos++;
            } else if (c == '#') {
                comment();
            } else if (c == '\\' && pos + 1 < s.length() && (s.charAt(pos + 1) == '\n' || s.charAt(pos + 1) == '\r')) {
                pos += s.startsWith("\r\n", pos + 1) ? 3 : 2;
            } else {
                return;
            }
        }
    }

    private Object value() throws SyntaxError {
        space();
        if (pos >= s.length()) {
            throw error(pos == 0 ? "the text is empty" : "the text ends where a value should be");
        }
        if (++depth > MAX_DEPTH) {
            throw error("brackets nested more than " + MAX_DEPTH + " deep");
        }
        try {
            char c = s.charAt(pos);
            switch (c) {
                case '{':
                    return dict();
                case '(':
                    return parenthesis();
                case '[':
                    return new PyList(items(']'));
                case '\'':
                case '"':
                    return strings("");
                case '+':
                case '-':
                    return signed();
                default:
                    if (Character.isDigit(c) && c < 128 || c == '.' && pos + 1 < s.length() && Character.isDigit(s.charAt(pos + 1))) {
                        return number();
                    }
                    if (Character.isLetter(c) || c == '_') {
                        return name();
                    }
                    throw error("unexpected character " + FileFormatException.quote(String.valueOf(c)));
            }
        } finally {
            depth--;
        }
    }

    private Map<String, Object> dict() throws SyntaxError {
        pos++;
        Map<String, Object> m = new LinkedHashMap<>();
        space();
        if (at('}')) {
            pos++;
            return m;
        }
        while (true) {
            space();
            int keyAt = pos;
            Object key = value();
            space();
            if (!at(':')) {
                throw error("expected ':' after the dict key " + repr(key) + (at(',') || at('}') ? " (a set is not allowed)" : ""));
            }
            pos++;
            Object v = value();
            if (!(key instanceof String k)) {
                throw new SyntaxError("dict key " + repr(key) + " is not a string", keyAt);
            }
            if (m.containsKey(k)) {
                throw new DuplicateKey(k, keyAt);
            }
            m.put(k, v);
            space();
            if (at(',')) {
                pos++;
                space();
            } else if (!at('}')) {
                throw error("expected ',' or '}' in a dict, found " + snippet());
            }
            if (at('}')) {
                pos++;
                return m;
            }
        }
    }

    /** {@code ()}, {@code (v)} (just v) or a tuple with an optional trailing comma. */
    private Object parenthesis() throws SyntaxError {
        pos++;
        space();
        if (at(')')) {
            pos++;
            return new Tuple(List.of());
        }
        Object first = value();
        space();
        if (at(')')) {
            pos++;
            return first;
        }
        if (!at(',')) {
            throw error("expected ',' or ')' in a tuple, found " + snippet());
        }
        List<Object> items = new ArrayList<>();
        items.add(first);
        items.addAll(rest(')'));
        return new Tuple(Collections.unmodifiableList(items));
    }

    /** The items of a list after its opening bracket. */
    private List<Object> items(char close) throws SyntaxError {
        pos++;
        space();
        if (at(close)) {
            pos++;
            return List.of();
        }
        List<Object> items = new ArrayList<>();
        items.add(value());
        space();
        if (at(close)) {
            pos++;
            return items;
        }
        if (!at(',')) {
            throw error("expected ',' or '" + close + "', found " + snippet());
        }
        items.addAll(rest(close));
        return Collections.unmodifiableList(items);
    }

    /** After an item, at a comma: further items, then the closing bracket. */
    private List<Object> rest(char close) throws SyntaxError {
        List<Object> items = new ArrayList<>();
        while (true) {
            pos++; // the comma
            space();
            if (at(close)) {
                pos++;
                return items;
            }
            items.add(value());
            space();
            if (at(close)) {
                pos++;
                return items;
            }
            if (!at(',')) {
                throw error("expected ',' or '" + close + "', found " + snippet());
            }
        }
    }

    private Object signed() throws SyntaxError {
        boolean minus = s.charAt(pos) == '-';
        pos++;
        space();
        if (pos >= s.length() || !(Character.isDigit(s.charAt(pos)) && s.charAt(pos) < 128 || s.charAt(pos) == '.')) {
            throw error("a sign must be followed by a number");
        }
        Object n = number();
        if (n instanceof BigInteger i) {
            return minus ? i.negate() : i;
        }
        return new Real((minus ? "-" : "") + ((Real) n).text());
    }

    private Object number() throws SyntaxError {
        int start = pos;
        while (pos < s.length()) {
            char c = s.charAt(pos);
            boolean exponentSign = (c == '+' || c == '-') && (s.charAt(pos - 1) == 'e' || s.charAt(pos - 1) == 'E')
                && !s.startsWith("0x", start) && !s.startsWith("0X", start);
            if (c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '.') || exponentSign) {
                pos++;
            } else {
                break;
            }
        }
        String text = s.substring(start, pos);
        if (longSuffix && text.length() > 1 && text.endsWith("L")) {
            text = text.substring(0, text.length() - 1);
        }
        Object v;
        if (INT.matcher(text).matches()) {
            String digits = text.replace("_", "");
            int radix = 10;
            if (digits.length() > 1 && Character.isLetter(digits.charAt(1))) {
                radix = switch (Character.toLowerCase(digits.charAt(1))) {
                    case 'x' -> 16;
                    case 'o' -> 8;
                    default -> 2;
                };
                digits = digits.substring(2);
            }
            v = new BigInteger(digits, radix);
        } else if (REAL.matcher(text).matches()) {
            v = new Real(text);
        } else {
            String token = s.substring(start, pos);
            pos = start;
            throw error("malformed number " + FileFormatException.quote(token));
        }
        if (longSuffix) {
            // Python 2 wrote 2L; numpy drops an L token after a number token, also after spaces, also repeated
            int p = pos;
            while (true) {
                while (p < s.length() && (s.charAt(p) == ' ' || s.charAt(p) == '\t' || s.charAt(p) == '\f')) {
                    p++;
                }
                if (p < s.length() && s.charAt(p) == 'L' && !(p + 1 < s.length() && identifierPart(s.charAt(p + 1)))) {
                    pos = ++p;
                } else {
                    break;
                }
            }
        }
        return v;
    }

    private static boolean identifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private Object name() throws SyntaxError {
        int start = pos;
        while (pos < s.length() && identifierPart(s.charAt(pos))) {
            pos++;
        }
        String word = s.substring(start, pos);
        if (at('\'') || at('"')) {
            String prefix = word.toLowerCase(Locale.ROOT);
            if (stringPrefix(prefix)) {
                return strings(prefix);
            }
            pos = start;
            throw error("string prefix " + FileFormatException.quote(word) + " does not make a literal");
        }
        switch (word) {
            case "True":
                return Boolean.TRUE;
            case "False":
                return Boolean.FALSE;
            case "None":
                return NONE;
            default:
                pos = start;
                throw error("name " + FileFormatException.quote(word) + " is not a literal");
        }
    }

    /** The prefixes that make str or bytes literals (f-strings are not literals), lowercase. */
    private static boolean stringPrefix(String lower) {
        return lower.equals("r") || lower.equals("u") || lower.equals("b") || lower.equals("rb") || lower.equals("br");
    }

    /** A string literal at pos (after its prefix) and any adjacent ones, joined. */
    private Object strings(String prefix) throws SyntaxError {
        boolean bytes = prefix.contains("b");
        StringBuilder out = new StringBuilder();
        string(prefix, out);
        while (true) {
            int save = pos;
            space();
            String next = null;
            if (at('\'') || at('"')) {
                next = "";
            } else {
                int p = pos;
                while (p < s.length() && identifierPart(s.charAt(p)) && p - pos < 2) {
                    p++;
                }
                if (p < s.length() && p > pos && (s.charAt(p) == '\'' || s.charAt(p) == '"')) {
                    String w = s.substring(pos, p).toLowerCase(Locale.ROOT);
                    if (stringPrefix(w)) {
                        next = w;
                        pos = p;
                    }
                }
            }
            if (next == null) {
                pos = save;
                break;
            }
            if (next.contains("b") != bytes) {
                throw error("cannot join a bytes literal and a str literal");
            }
            string(next, out);
        }
        return bytes ? new Bytes(out.toString()) : out.toString();
    }

    private void string(String prefix, StringBuilder out) throws SyntaxError {
        boolean raw = prefix.contains("r");
        boolean bytes = prefix.contains("b");
        int start = pos;
        char q = s.charAt(pos);
        String qqq = "" + q + q + q;
        boolean triple = s.startsWith(qqq, pos);
        pos += triple ? 3 : 1;
        while (true) {
            if (pos >= s.length()) {
                pos = start;
                throw error("string literal is not closed");
            }
            char c = s.charAt(pos);
            if (triple ? s.startsWith(qqq, pos) : c == q) {
                pos += triple ? 3 : 1;
                return;
            }
            if (!triple && (c == '\n' || c == '\r')) {
                throw error("line break inside a string literal");
            }
            if (bytes && c > 127) {
                throw error("bytes literal holds the non-ASCII character " + FileFormatException.quote(String.valueOf(c)));
            }
            if (c != '\\') {
                out.append(c);
                pos++;
                continue;
            }
            if (pos + 1 >= s.length()) {
                pos = start;
                throw error("string literal is not closed");
            }
            char d = s.charAt(pos + 1);
            if (raw) {
                out.append(c).append(d);
                pos += 2;
                continue;
            }
            pos += 2;
            escape(d, bytes, out);
        }
    }

    /** The escape \d (pos is after d). */
    private void escape(char d, boolean bytes, StringBuilder out) throws SyntaxError {
        switch (d) {
            case '\n':
                return;
            case '\r':
                if (at('\n')) {
                    pos++;
                }
                return;
            case '\\':
            case '\'':
            case '"':
                out.append(d);
                return;
            case 'a':
                out.append('\u0007');
                return;
            case 'b':
                out.append('\b');
                return;
            case 'f':
                out.append('\f');
                return;
            case 'n':
                out.append('\n');
                return;
            case 'r':
                out.append('\r');
                return;
            case 't':
                out.append('\t');
                return;
            case 'v':
                out.append('\u000b');
                return;
            case 'x':
                out.appendCodePoint(hex(2, "\\x"));
                return;
            default:
                break;
        }
        if (d >= '0' && d <= '7') {
            int v = d - '0';
            for (int k = 0; k < 2 && pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '7'; k++) {
                v = v * 8 + (s.charAt(pos++) - '0');
            }
            if (bytes && v > 255) {
                throw error("octal escape beyond \\377 in a bytes literal");
            }
            out.append((char) v);
            return;
        }
        if (!bytes && d == 'u') {
            out.append((char) hex(4, "\\u"));
            return;
        }
        if (!bytes && d == 'U') {
            int cp = hex(8, "\\U");
            if (cp > Character.MAX_CODE_POINT) {
                throw error("\\U escape beyond U+10FFFF");
            }
            out.appendCodePoint(cp);
            return;
        }
        if (!bytes && d == 'N') {
            int close = s.indexOf('}', pos);
            if (!at('{') || close < 0) {
                throw error("malformed \\N{...} escape");
            }
            String nm = s.substring(pos + 1, close);
            try {
                out.appendCodePoint(Character.codePointOf(nm));
            } catch (IllegalArgumentException e) {
                throw error("unknown Unicode character name " + FileFormatException.quote(nm));
            }
            pos = close + 1;
            return;
        }
        out.append('\\').append(d); // Python keeps an unknown escape as it is
    }

    private int hex(int digits, String what) throws SyntaxError {
        if (pos + digits > s.length()) {
            throw error("truncated " + what + " escape");
        }
        int v = 0;
        for (int k = 0; k < digits; k++) {
            int h = Character.digit(s.charAt(pos + k), 16);
            if (h < 0 || s.charAt(pos + k) > 127) {
                throw error("truncated " + what + " escape");
            }
            v = v * 16 + h;
        }
        pos += digits;
        return v;
    }
}
