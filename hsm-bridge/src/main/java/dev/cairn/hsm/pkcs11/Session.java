package dev.cairn.hsm.pkcs11;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One PKCS#11 session opened through {@link Cryptoki}. Not thread safe (PKCS#11 sessions are not);
 * close it when done. It shares the module's login state with SunPKCS11's sessions.
 */
public final class Session implements AutoCloseable {
    private static final ValueLayout.OfLong ULONG = ValueLayout.JAVA_LONG;
    private static final java.lang.foreign.AddressLayout ADDR = ValueLayout.ADDRESS;

    private final Cryptoki ck;
    private final long handle;
    private boolean closed;

    Session(Cryptoki ck, long handle) {
        this.ck = ck;
        this.handle = handle;
    }

    /** C_Login. A module that is already logged in for this application answers CKR_USER_ALREADY_LOGGED_IN, which is not an error here. */
    public void login(long userType, char[] pin) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = Cryptoki.pinSegment(arena, pin);
            long rv = ck.call(Cryptoki.FN_LOGIN, FunctionDescriptor.of(ULONG, ULONG, ULONG, ADDR, ULONG),
                    handle, userType, p, p.byteSize());
            p.fill((byte) 0);
            if (rv != CkrCodes.CKR_USER_ALREADY_LOGGED_IN) {
                Cryptoki.check("C_Login", rv);
            }
        }
    }

    /** C_Logout. */
    public void logout() {
        Cryptoki.check("C_Logout", ck.call(Cryptoki.FN_LOGOUT, FunctionDescriptor.of(ULONG, ULONG), handle));
    }

    /** C_InitPIN: sets the user PIN; the session must be logged in as SO. */
    public void initPin(char[] pin) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = Cryptoki.pinSegment(arena, pin);
            long rv = ck.call(Cryptoki.FN_INIT_PIN, FunctionDescriptor.of(ULONG, ULONG, ADDR, ULONG), handle, p, p.byteSize());
            p.fill((byte) 0);
            Cryptoki.check("C_InitPIN", rv);
        }
    }

    /** C_FindObjectsInit / C_FindObjects / C_FindObjectsFinal: every object matching the template. */
    public long[] find(List<Attr> template) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment t = Attr.encode(arena, template);
            Cryptoki.check("C_FindObjectsInit", ck.call(Cryptoki.FN_FIND_OBJECTS_INIT,
                    FunctionDescriptor.of(ULONG, ULONG, ADDR, ULONG), handle, t, (long) template.size()));
            List<Long> found = new ArrayList<>();
            MemorySegment batch = arena.allocate(ULONG, 64);
            MemorySegment count = arena.allocate(ULONG);
            try {
                while (true) {
                    Cryptoki.check("C_FindObjects", ck.call(Cryptoki.FN_FIND_OBJECTS,
                            FunctionDescriptor.of(ULONG, ULONG, ADDR, ULONG, ADDR), handle, batch, 64L, count));
                    long n = count.get(ULONG, 0);
                    for (int i = 0; i < n; i++) {
                        found.add(batch.getAtIndex(ULONG, i));
                    }
                    if (n < 64) {
                        break;
                    }
                }
            } finally {
                ck.call(Cryptoki.FN_FIND_OBJECTS_FINAL, FunctionDescriptor.of(ULONG, ULONG), handle);
            }
            return found.stream().mapToLong(Long::longValue).toArray();
        }
    }

    /** C_GetAttributeValue of one CK_BBOOL attribute; null when the object does not have it. */
    public Boolean getBoolean(long object, long type) {
        byte[] v = getBytes(object, type, 1);
        return v == null ? null : v[0] != 0;
    }

    /** C_GetAttributeValue of one CK_ULONG attribute; null when the object does not have it. */
    public Long getUlong(long object, long type) {
        byte[] v = getBytes(object, type, 8);
        return v == null ? null : ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getLong();
    }

    /** C_GetAttributeValue of a byte-array attribute (CKA_LABEL, CKA_ID...); null when absent or sensitive. */
    public byte[] getBytes(long object, long type) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment t = arena.allocate(24, 8);
            t.set(ULONG, 0, type);
            t.set(ADDR, 8, MemorySegment.NULL);
            long rv = getAttr(object, t);
            if (rv == CkrCodes.CKR_ATTRIBUTE_TYPE_INVALID || rv == CkrCodes.CKR_ATTRIBUTE_SENSITIVE) {
                return null;
            }
            Cryptoki.check("C_GetAttributeValue", rv);
            long len = t.get(ULONG, 16);
            if (len == -1L) {
                return null;
            }
            return getBytes(object, type, (int) len);
        }
    }

    /** C_GetAttributeValue as a UTF-8 string (CKA_LABEL). */
    public String getString(long object, long type) {
        byte[] b = getBytes(object, type);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** C_SetAttributeValue of CK_BBOOL attributes on one object. */
    public void setBooleans(long object, List<Attr> attrs) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment t = Attr.encode(arena, attrs);
            Cryptoki.check("C_SetAttributeValue", ck.call(Cryptoki.FN_SET_ATTRIBUTE_VALUE,
                    FunctionDescriptor.of(ULONG, ULONG, ULONG, ADDR, ULONG), handle, object, t, (long) attrs.size()));
        }
    }

    /** C_DestroyObject. */
    public void destroy(long object) {
        Cryptoki.check("C_DestroyObject", ck.call(Cryptoki.FN_DESTROY_OBJECT,
                FunctionDescriptor.of(ULONG, ULONG, ULONG), handle, object));
    }

    /**
     * C_UnwrapKey with CKM_RSA_PKCS_OAEP (MGF1 with the same hash, no label): the unwrapped key is created
     * inside the token from {@code template} and never leaves it.
     *
     * @param hashMechanism {@link Ck#CKM_SHA256} or {@link Ck#CKM_SHA_1}
     * @return the new object's handle
     */
    public long unwrapRsaOaep(long unwrappingKey, long hashMechanism, byte[] wrapped, List<Attr> template) {
        long mgf = hashMechanism == Ck.CKM_SHA256 ? Ck.CKG_MGF1_SHA256 : Ck.CKG_MGF1_SHA1;
        try (Arena arena = Arena.ofConfined()) {
            // CK_RSA_PKCS_OAEP_PARAMS: hashAlg, mgf, source, pSourceData, ulSourceDataLen
            MemorySegment params = arena.allocate(40, 8);
            params.set(ULONG, 0, hashMechanism);
            params.set(ULONG, 8, mgf);
            params.set(ULONG, 16, Ck.CKZ_DATA_SPECIFIED);
            params.set(ADDR, 24, MemorySegment.NULL);
            params.set(ULONG, 32, 0L);
            // CK_MECHANISM: mechanism, pParameter, ulParameterLen
            MemorySegment mech = arena.allocate(24, 8);
            mech.set(ULONG, 0, Ck.CKM_RSA_PKCS_OAEP);
            mech.set(ADDR, 8, params);
            mech.set(ULONG, 16, 40L);
            MemorySegment in = arena.allocateFrom(ValueLayout.JAVA_BYTE, wrapped);
            MemorySegment t = Attr.encode(arena, template);
            MemorySegment out = arena.allocate(ULONG);
            Cryptoki.check("C_UnwrapKey", ck.call(Cryptoki.FN_UNWRAP_KEY,
                    FunctionDescriptor.of(ULONG, ULONG, ADDR, ULONG, ADDR, ULONG, ADDR, ULONG, ADDR),
                    handle, mech, unwrappingKey, in, (long) wrapped.length, t, (long) template.size(), out));
            return out.get(ULONG, 0);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            ck.call(Cryptoki.FN_CLOSE_SESSION, FunctionDescriptor.of(ULONG, ULONG), handle);
        }
    }

    private byte[] getBytes(long object, long type, int len) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment t = arena.allocate(24, 8);
            MemorySegment value = arena.allocate(Math.max(1, len));
            t.set(ULONG, 0, type);
            t.set(ADDR, 8, value);
            t.set(ULONG, 16, (long) len);
            long rv = getAttr(object, t);
            if (rv == CkrCodes.CKR_ATTRIBUTE_TYPE_INVALID || rv == CkrCodes.CKR_ATTRIBUTE_SENSITIVE) {
                return null;
            }
            Cryptoki.check("C_GetAttributeValue", rv);
            long got = t.get(ULONG, 16);
            if (got == -1L) {
                return null;
            }
            return value.asSlice(0, got).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    private long getAttr(long object, MemorySegment template) {
        return ck.call(Cryptoki.FN_GET_ATTRIBUTE_VALUE,
                FunctionDescriptor.of(ULONG, ULONG, ULONG, ADDR, ULONG), handle, object, template, 1L);
    }

    /** One CK_ATTRIBUTE of a template: its type and its value bytes (native byte order for CK_ULONG). */
    public record Attr(long type, byte[] value) {
        public static Attr bool(long type, boolean v) {
            return new Attr(type, new byte[] {(byte) (v ? 1 : 0)});
        }

        public static Attr ulong(long type, long v) {
            return new Attr(type, ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(v).array());
        }

        public static Attr string(long type, String v) {
            return new Attr(type, v.getBytes(StandardCharsets.UTF_8));
        }

        static MemorySegment encode(Arena arena, List<Attr> attrs) {
            MemorySegment t = arena.allocate(24L * Math.max(1, attrs.size()), 8);
            for (int i = 0; i < attrs.size(); i++) {
                Attr a = attrs.get(i);
                t.set(ULONG, 24L * i, a.type);
                t.set(ADDR, 24L * i + 8, arena.allocateFrom(ValueLayout.JAVA_BYTE, a.value));
                t.set(ULONG, 24L * i + 16, (long) a.value.length);
            }
            return t;
        }
    }
}
