package org.rtf4j.formats;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One-line messages for I/O failures that say why, not just where: {@code cannot write out.npy: permission
 * denied}. The JDK's {@link java.nio.file.FileSystemException}s carry the path as their message and the
 * operating system's reason (when there is one) apart; their subclasses name the reason by type.
 */
public final class IoMessages {
    private IoMessages() {
    }

    /** The reason of an I/O failure in a few lowercase words ("permission denied", "no space left on device"). */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "directory not empty";
        }
        if (e instanceof FileSystemLoopException) {
            return "too many levels of symbolic links";
        }
        if (e instanceof FileSystemException) {
            String r = ((FileSystemException) e).getReason();
            if (r != null && !r.isBlank()) {
                return lower(r);
            }
        }
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return lower(m.split("\n", 2)[0]);
    }

    /**
     * An I/O failure in one line with its path and its reason: a {@link FileSystemException} as
     * {@code <file>[ -> <other>]: <reason>} (its own message is often only the path), anything else by its
     * message (our own exceptions compose theirs).
     */
    public static String describe(IOException e) {
        if (e instanceof FileSystemException) {
            FileSystemException f = (FileSystemException) e;
            String where = f.getFile() == null ? "" : f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile());
            return where.isEmpty() ? reason(e) : where + ": " + reason(e);
        }
        return reason(e);
    }

    /** {@code cannot <verb> <path>: <reason>} as an unchecked exception, the cause kept. */
    public static UncheckedIOException cannot(String verb, Path path, IOException e) {
        return new UncheckedIOException("cannot " + verb + " " + path + ": " + reason(e), e);
    }

    private static String lower(String s) {
        // "No space left on device" -> "no space left on device"; keep acronyms and paths as they are
        if (s.length() > 1 && Character.isUpperCase(s.charAt(0)) && Character.isLowerCase(s.charAt(1))) {
            return s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
        }
        return s;
    }
}
