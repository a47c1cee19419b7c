package dev.cairn.engine.fs;

/** The type of an inode: the {@code S_IFMT} bits of {@code st_mode}. */
public enum FileType {
    FILE(Libc.S_IFREG),
    DIRECTORY(Libc.S_IFDIR),
    SYMLINK(Libc.S_IFLNK),
    FIFO(Libc.S_IFIFO),
    SOCKET(Libc.S_IFSOCK),
    CHAR_DEVICE(Libc.S_IFCHR),
    BLOCK_DEVICE(Libc.S_IFBLK);

    private final int bits;

    FileType(int bits) {
        this.bits = bits;
    }

    /** The {@code S_IF*} value of this type. */
    int modeBits() {
        return bits;
    }

    /**
     * The type in a full {@code st_mode}.
     *
     * @throws IllegalArgumentException for a type Linux does not have (the kernel never reports one)
     */
    static FileType fromMode(int mode) {
        int t = mode & Libc.S_IFMT;
        for (FileType f : values()) {
            if (f.bits == t) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown file type 0" + Integer.toOctalString(t) + " in st_mode");
    }
}
