package dev.cairn.engine.testing;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from the calling thread's effective set for the
 * duration of a block, so a test running as root meets permission bits like an ordinary service
 * account would. Linux capabilities are per thread (capset(2) with pid 0 changes the calling thread
 * only); the permitted set is kept, so the block's end restores them.
 */
public final class ThreadCapabilities {
    private static final int VERSION_3 = 0x20080522;
    private static final int CAP_DAC_OVERRIDE = 1;
    private static final int CAP_DAC_READ_SEARCH = 2;
    private static final MethodHandle CAPGET;
    private static final MethodHandle CAPSET;

    static {
        Linker l = Linker.nativeLinker();
        FunctionDescriptor d = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
        CAPGET = l.downcallHandle(l.defaultLookup().find("capget").orElseThrow(), d);
        CAPSET = l.downcallHandle(l.defaultLookup().find("capset").orElseThrow(), d);
    }

    private ThreadCapabilities() {
    }

    /** Runs {@code body} on this thread without the two DAC-bypass capabilities. */
    public static <T> T withoutDacOverride(java.util.concurrent.Callable<T> body) throws Exception {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment hdr = a.allocate(8);
            hdr.set(JAVA_INT, 0, VERSION_3);
            hdr.set(JAVA_INT, 4, 0);
            MemorySegment data = a.allocate(24);
            check((int) CAPGET.invokeExact(hdr, data), "capget");
            int effective = data.get(JAVA_INT, 0);
            int dropped = effective & ~((1 << CAP_DAC_OVERRIDE) | (1 << CAP_DAC_READ_SEARCH));
            data.set(JAVA_INT, 0, dropped);
            check((int) CAPSET.invokeExact(hdr, data), "capset");
            try {
                return body.call();
            } finally {
                data.set(JAVA_INT, 0, effective);
                check((int) CAPSET.invokeExact(hdr, data), "capset (restore)");
            }
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static void check(int r, String what) {
        if (r != 0) {
            throw new IllegalStateException(what + " failed");
        }
    }
}
