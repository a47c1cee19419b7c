package dev.cairn.hsm.pkcs11;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A deliberately small binding to a PKCS#11 module through the Foreign Function and Memory API, for the
 * few things SunPKCS11 does not expose: finding a slot by token label, initialising a SoftHSM token
 * without putting PINs on a command line, reading and changing key attributes (CKA_SENSITIVE,
 * CKA_EXTRACTABLE, CKA_ENCRYPT...), and C_UnwrapKey with RSA-OAEP for BYOK.
 *
 * <p>All cryptography on data keys still goes through SunPKCS11; this class never sees key material.
 *
 * <p>The module is opened with the same path SunPKCS11 uses, so both share one loaded library and one
 * PKCS#11 application context (login state is per application). {@link #initialize()} passes
 * CKF_OS_LOCKING_OK, as SunPKCS11 does; whichever of the two calls C_Initialize second gets
 * CKR_CRYPTOKI_ALREADY_INITIALIZED, which both accept.
 *
 * <p>Layouts are those of Linux x86_64 and aarch64 (LP64: CK_ULONG is 8 bytes). Thread safety: every
 * method may be called from any thread; the module does its own locking (CKF_OS_LOCKING_OK).
 */
public final class Cryptoki {
    // CK_FUNCTION_LIST: a CK_VERSION (2 bytes, padded to 8) then one pointer per function, in the
    // standard's order. Index = position in that list.
    static final int FN_INITIALIZE = 0;
    static final int FN_GET_SLOT_LIST = 4;
    static final int FN_GET_TOKEN_INFO = 6;
    static final int FN_INIT_TOKEN = 9;
    static final int FN_INIT_PIN = 10;
    static final int FN_OPEN_SESSION = 12;
    static final int FN_CLOSE_SESSION = 13;
    static final int FN_LOGIN = 18;
    static final int FN_LOGOUT = 19;
    static final int FN_DESTROY_OBJECT = 22;
    static final int FN_GET_ATTRIBUTE_VALUE = 24;
    static final int FN_SET_ATTRIBUTE_VALUE = 25;
    static final int FN_FIND_OBJECTS_INIT = 26;
    static final int FN_FIND_OBJECTS = 27;
    static final int FN_FIND_OBJECTS_FINAL = 28;
    static final int FN_UNWRAP_KEY = 61;
    private static final int FUNCTION_COUNT = 68;

    static final long CKF_OS_LOCKING_OK = 0x2L;
    static final long CKF_RW_SESSION = 0x2L;
    static final long CKF_SERIAL_SESSION = 0x4L;
    public static final long CKU_SO = 0L;
    public static final long CKU_USER = 1L;
    public static final long CKF_TOKEN_INITIALIZED = 0x400L;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final ValueLayout.OfLong ULONG = ValueLayout.JAVA_LONG;
    private static final Map<Path, Cryptoki> LOADED = new HashMap<>();

    private final Path library;
    private final MemorySegment functions;
    private final Map<Integer, MethodHandle> handles = new HashMap<>();

    private Cryptoki(Path library, MemorySegment functions) {
        this.library = library;
        this.functions = functions;
    }

    /**
     * Opens (dlopen) the module at {@code library} and fetches its function list. The same path
     * always gives the same instance.
     *
     * @throws IOException when the file cannot be loaded as a PKCS#11 module
     */
    public static synchronized Cryptoki load(Path library) throws IOException {
        Path key = library.toAbsolutePath().normalize();
        Cryptoki c = LOADED.get(key);
        if (c != null) {
            return c;
        }
        SymbolLookup lookup;
        try {
            lookup = SymbolLookup.libraryLookup(key, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new IOException("cannot load PKCS#11 module " + key + ": " + e.getMessage()
                    + ". Check the 'library' line of hsm.conf and that the token's package is installed.", e);
        }
        MemorySegment getFunctionList = lookup.find("C_GetFunctionList").orElseThrow(() -> new IOException(
                key + " is not a PKCS#11 module (no C_GetFunctionList). Check the 'library' line of hsm.conf."));
        MethodHandle gfl = LINKER.downcallHandle(getFunctionList, FunctionDescriptor.of(ULONG, ValueLayout.ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            long rv = (long) gfl.invokeExact(out);
            check("C_GetFunctionList", rv);
            MemorySegment list = out.get(ValueLayout.ADDRESS, 0).reinterpret(8L + 8L * FUNCTION_COUNT);
            c = new Cryptoki(key, list);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("C_GetFunctionList failed in " + key, t);
        }
        LOADED.put(key, c);
        return c;
    }

    /**
     * Sets a variable in this process's C environment (setenv(3)), for modules that read their
     * configuration from it at C_Initialize (SoftHSM2 reads SOFTHSM2_CONF). Must run before the module
     * is initialised; {@link System#getenv()} does not see the change.
     */
    public static synchronized void setenv(String name, String value) {
        MemorySegment fn = LINKER.defaultLookup().find("setenv").orElseThrow();
        MethodHandle h = LINKER.downcallHandle(fn,
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            int rc = (int) h.invokeExact(arena.allocateFrom(name), arena.allocateFrom(value), 1);
            if (rc != 0) {
                throw new IllegalStateException("setenv(" + name + ") failed");
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("setenv(" + name + ") failed", t);
        }
    }

    public Path library() {
        return library;
    }

    /** C_Initialize with CKF_OS_LOCKING_OK. Returns false when the module was already initialised. */
    public boolean initialize() {
        try (Arena arena = Arena.ofConfined()) {
            // CK_C_INITIALIZE_ARGS: CreateMutex, DestroyMutex, LockMutex, UnlockMutex, flags, pReserved
            MemorySegment args = arena.allocate(48, 8);
            args.set(ULONG, 32, CKF_OS_LOCKING_OK);
            long rv = call(FN_INITIALIZE, FunctionDescriptor.of(ULONG, ValueLayout.ADDRESS), args);
            if (rv == CkrCodes.CKR_CRYPTOKI_ALREADY_INITIALIZED) {
                return false;
            }
            check("C_Initialize", rv);
            return true;
        }
    }

    /** C_GetSlotList. */
    public long[] slots(boolean tokenPresent) {
        FunctionDescriptor fd = FunctionDescriptor.of(ULONG, ValueLayout.JAVA_BYTE, ValueLayout.ADDRESS, ValueLayout.ADDRESS);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(ULONG);
            byte present = (byte) (tokenPresent ? 1 : 0);
            check("C_GetSlotList", call(FN_GET_SLOT_LIST, fd, present, MemorySegment.NULL, count));
            long n = count.get(ULONG, 0);
            if (n == 0) {
                return new long[0];
            }
            MemorySegment list = arena.allocate(ULONG, n);
            check("C_GetSlotList", call(FN_GET_SLOT_LIST, fd, present, list, count));
            return list.asSlice(0, count.get(ULONG, 0) * 8).toArray(ULONG);
        }
    }

    /** C_GetTokenInfo: the parts Cairn uses. */
    public TokenInfo tokenInfo(long slot) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(256, 8);
            check("C_GetTokenInfo", call(FN_GET_TOKEN_INFO,
                    FunctionDescriptor.of(ULONG, ULONG, ValueLayout.ADDRESS), slot, info));
            // CK_TOKEN_INFO: label[32] manufacturerID[32] model[16] serialNumber[16] flags ...
            return new TokenInfo(slot, padded(info, 0, 32), padded(info, 32, 32), padded(info, 64, 16),
                    padded(info, 80, 16), info.get(ULONG, 96));
        }
    }

    /** C_InitToken: initialises the token in {@code slot} with an SO PIN and a label (at most 32 bytes). */
    public void initToken(long slot, char[] soPin, String label) {
        byte[] l = label.getBytes(StandardCharsets.UTF_8);
        if (l.length > 32) {
            throw new IllegalArgumentException("a token label has at most 32 bytes");
        }
        byte[] padded = new byte[32];
        Arrays.fill(padded, (byte) ' ');
        System.arraycopy(l, 0, padded, 0, l.length);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pin = pinSegment(arena, soPin);
            check("C_InitToken", call(FN_INIT_TOKEN,
                    FunctionDescriptor.of(ULONG, ULONG, ValueLayout.ADDRESS, ULONG, ValueLayout.ADDRESS),
                    slot, pin, pin.byteSize(), arena.allocateFrom(ValueLayout.JAVA_BYTE, padded)));
            pin.fill((byte) 0);
        }
    }

    /** C_OpenSession (serial; read-write when asked). */
    public Session openSession(long slot, boolean readWrite) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ULONG);
            long flags = CKF_SERIAL_SESSION | (readWrite ? CKF_RW_SESSION : 0);
            check("C_OpenSession", call(FN_OPEN_SESSION,
                    FunctionDescriptor.of(ULONG, ULONG, ULONG, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS),
                    slot, flags, MemorySegment.NULL, MemorySegment.NULL, out));
            return new Session(this, out.get(ULONG, 0));
        }
    }

    /** The token's identifying fields, with the blank padding removed. */
    public record TokenInfo(long slot, String label, String manufacturer, String model, String serial, long flags) {
        public boolean initialized() {
            return (flags & CKF_TOKEN_INITIALIZED) != 0;
        }
    }

    // --- plumbing shared with Session ---

    long call(int index, FunctionDescriptor fd, Object... args) {
        MethodHandle h;
        synchronized (handles) {
            h = handles.computeIfAbsent(index, i -> LINKER.downcallHandle(
                    functions.get(ValueLayout.ADDRESS, 8L + 8L * i), fd));
        }
        try {
            return (long) h.invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("PKCS#11 call failed", t);
        }
    }

    static void check(String function, long rv) {
        if (rv != CkrCodes.CKR_OK) {
            throw new CkException(function, rv);
        }
    }

    /** Copies a PIN into native memory as UTF-8; the caller zeroes the segment after use. */
    static MemorySegment pinSegment(Arena arena, char[] pin) {
        java.nio.ByteBuffer bb = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(pin));
        MemorySegment seg = arena.allocate(Math.max(1, bb.remaining()));
        int len = bb.remaining();
        MemorySegment.copy(MemorySegment.ofBuffer(bb), 0, seg, 0, len);
        if (bb.hasArray()) {
            Arrays.fill(bb.array(), (byte) 0);
        }
        return seg.asSlice(0, len);
    }

    private static String padded(MemorySegment seg, long offset, int len) {
        byte[] b = seg.asSlice(offset, len).toArray(ValueLayout.JAVA_BYTE);
        return new String(b, StandardCharsets.UTF_8).stripTrailing().replace("\0", "");
    }
}
