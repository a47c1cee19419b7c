package dev.cairn.engine.pack;

import java.util.Arrays;

/**
 * One blob in a pack, as the footer lists it.
 *
 * @param index        position in the pack (its nonce counter)
 * @param offset       where the stored bytes start in the file
 * @param storedLength ciphertext plus 16-byte tag
 * @param rawLength    uncompressed plaintext length
 */
public record PackEntry(BlobType type, byte[] id, long offset, int storedLength, int rawLength, Compression compression, int index) {
    public PackEntry {
        if (id.length != 32) {
            throw new IllegalArgumentException("a blob id has 32 bytes");
        }
        id = id.clone();
    }

    @Override
    public byte[] id() {
        return id.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PackEntry e && type == e.type && Arrays.equals(id, e.id) && offset == e.offset
                && storedLength == e.storedLength && rawLength == e.rawLength && compression == e.compression && index == e.index;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(id) * 31 + Long.hashCode(offset);
    }
}
