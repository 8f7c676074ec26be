package org.rtf4j.train.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads regular files out of a gzip-compressed tar archive (the format of npm tarballs) with Commons
 * Compress. Only the named entries are kept in memory; every one of them must be present.
 */
final class TarGz {

    private TarGz() {
    }

    /** The contents of the wanted entries, by entry name; a missing entry is an error naming it. */
    static Map<String, byte[]> read(Path archive, Collection<String> wanted) throws IOException {
        Map<String, byte[]> found = new LinkedHashMap<>();
        try (InputStream gz = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive)), 1 << 16);
             TarArchiveInputStream tar = new TarArchiveInputStream(gz)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.isFile() && wanted.contains(e.getName())) {
                    if (e.getSize() > Integer.MAX_VALUE - 16) {
                        throw new IOException(archive + ": entry " + e.getName() + " is too large (" + e.getSize()
                            + " bytes)");
                    }
                    byte[] data = tar.readNBytes((int) e.getSize());
                    if (data.length != e.getSize()) {
                        throw new IOException(archive + ": truncated in entry " + e.getName());
                    }
                    found.put(e.getName(), data);
                }
            }
        } catch (IllegalArgumentException e) {
            throw new IOException(archive + ": not a valid tar archive: " + e.getMessage(), e);
        }
        TreeSet<String> missing = new TreeSet<>(wanted);
        missing.removeAll(found.keySet());
        if (!missing.isEmpty()) {
            throw new IOException(archive + ": expected entries " + missing + " not found in the archive");
        }
        return found;
    }
}
