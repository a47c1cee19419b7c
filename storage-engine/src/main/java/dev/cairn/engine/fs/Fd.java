package dev.cairn.engine.fs;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * One file descriptor owned by a {@link Dir} or an {@link OpenFile}: closed once, refused after close,
 * and tracked for leaks. When the GC finds an owner that was never closed, a {@link Cleaner} counts it
 * in {@link #leaked()}; tests assert that count does not grow.
 *
 * <p>The Cleaner does not close the descriptor. An owner that is never closed can become unreachable
 * while one of its own native calls is still running (the JIT may treat {@code this} as dead once the
 * number has been read), and closing then would let the kernel hand the number to the next open while
 * the call still uses it. A leaked descriptor therefore stays open until the process ends: a bug to fix,
 * which the count makes visible.
 */
final class Fd {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final LongAdder LEAKED = new LongAdder();

    private final State state;
    private final Cleaner.Cleanable cleanable;

    private static final class State implements Runnable {
        final int fd;
        final AtomicBoolean closed = new AtomicBoolean();

        State(int fd) {
            this.fd = fd;
        }

        /** Runs only for an owner that became unreachable unclosed (close() marks it closed first). */
        @Override
        public void run() {
            if (!closed.get()) {
                LEAKED.increment();
            }
        }
    }

    Fd(Object owner, int fd) {
        this.state = new State(fd);
        this.cleanable = CLEANER.register(owner, state);
    }

    /** The descriptor, or IllegalStateException after close. */
    int get(String ownerName) {
        if (state.closed.get()) {
            throw new IllegalStateException("the " + ownerName + " is closed");
        }
        return state.fd;
    }

    /** Closes once; later calls do nothing. Throws an FsException for a close(2) error other than EINTR. */
    void close(String operation) {
        if (state.closed.compareAndSet(false, true)) {
            cleanable.clean(); // deregisters; run() sees closed and does nothing
            int r = Libc.close(state.fd);
            // Linux frees the descriptor even when close reports EINTR; retrying could close another file.
            if (r < 0 && r != -Errno.EINTR) {
                throw new FsException(operation, "close", -r, null);
            }
        }
    }

    /** Dir and OpenFile objects that became unreachable without close(), since the JVM started. */
    static long leaked() {
        return LEAKED.sum();
    }
}
