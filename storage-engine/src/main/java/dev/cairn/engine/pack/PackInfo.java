package dev.cairn.engine.pack;

import java.util.HexFormat;
import java.util.List;

/** A sealed pack: its id (SHA-256 of the file), size, header and the blobs it holds. */
public record PackInfo(byte[] id, long size, PackFormat.Header header, List<PackEntry> entries) {
    public PackInfo {
        id = id.clone();
        entries = List.copyOf(entries);
    }

    @Override
    public byte[] id() {
        return id.clone();
    }

    public String hex() {
        return HexFormat.of().formatHex(id);
    }

    /** packs/xx/&lt;hex&gt;.pack relative to the repository. */
    public static String relativePath(byte[] id) {
        String h = HexFormat.of().formatHex(id);
        return "packs/" + h.substring(0, 2) + "/" + h + ".pack";
    }
}
